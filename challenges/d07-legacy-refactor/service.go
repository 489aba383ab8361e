// Package billing issues invoices and applies discounts. It is the
// refactoring of package legacy: the same behaviour, byte for byte, with
// its dependencies passed in instead of reached for.
package billing

import (
	"context"
	"log/slog"
	"time"
)

// InvoiceRepo stores invoices. Get returns an error wrapping ErrNotFound
// for an unknown id. Implementations must be safe for concurrent use.
type InvoiceRepo interface {
	Get(ctx context.Context, id string) (Invoice, error)
	Save(ctx context.Context, inv Invoice) error
}

// FXRates says how many `to` one `from` is worth, as the fraction num/den.
type FXRates interface {
	Rate(ctx context.Context, from, to string) (num, den int64, err error)
}

// Service issues invoices. It is safe for concurrent use.
type Service struct {
	// TODO(d07): what legacy kept in package variables (the database, the
	// cache, the logger, the FX URL) and what it reached for (time.Now,
	// http.DefaultClient) lives here now.
}

// NewService returns a Service. repo and now are required; fx may be nil if
// every price is in its invoice's currency; a nil log discards.
func NewService(repo InvoiceRepo, fx FXRates, now func() time.Time, log *slog.Logger) *Service {
	// TODO(d07)
	return &Service{}
}

// Issue validates req, converts foreign prices with the FX service, and
// saves and returns the invoice. It does what legacy.Issue does.
func (s *Service) Issue(ctx context.Context, req IssueRequest) (Invoice, error) {
	// TODO(d07)
	return Invoice{}, ErrNotImplemented
}

// ApplyDiscount applies d to an issued invoice, replacing any earlier
// discount, and saves and returns the invoice with its new tax and total.
// It does what legacy.ApplyDiscount does.
func (s *Service) ApplyDiscount(ctx context.Context, id string, d Discount) (Invoice, error) {
	// TODO(d07)
	return Invoice{}, ErrNotImplemented
}
