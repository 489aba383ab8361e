// Package billing issues invoices and applies discounts. It is the
// refactoring of package legacy: the same behaviour, byte for byte, with
// its dependencies passed in instead of reached for.
package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
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
	repo InvoiceRepo
	fx   FXRates
	now  func() time.Time
	log  *slog.Logger

	mu    sync.Mutex
	zones map[string]*time.Location // time.LoadLocation parses tzdata on every call
}

// NewService returns a Service. repo and now are required; fx may be nil if
// every price is in its invoice's currency; a nil log discards.
func NewService(repo InvoiceRepo, fx FXRates, now func() time.Time, log *slog.Logger) *Service {
	if repo == nil || now == nil {
		panic("billing: NewService needs a repo and a clock")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{repo: repo, fx: fx, now: now, log: log, zones: make(map[string]*time.Location)}
}

// Issue validates req, converts foreign prices with the FX service, and
// saves and returns the invoice.
func (s *Service) Issue(ctx context.Context, req IssueRequest) (Invoice, error) {
	zoneName := req.Zone
	if zoneName == "" {
		zoneName = "UTC"
	}
	loc, err := s.validate(req, zoneName)
	if err != nil {
		return Invoice{}, err
	}
	switch _, err := s.repo.Get(ctx, req.ID); {
	case err == nil:
		return Invoice{}, invalid("id", "already issued")
	case !errors.Is(err, ErrNotFound):
		return Invoice{}, err
	}
	lines, subtotal, err := s.price(ctx, req)
	if err != nil {
		return Invoice{}, err
	}
	issued := s.now().UTC().Truncate(time.Second)
	local := issued.In(loc)
	inv := Invoice{
		ID:       req.ID,
		Customer: req.Customer,
		Currency: req.Currency,
		Zone:     zoneName,
		IssuedAt: issued,
		// time.Date normalises day overflow and picks the offset in force
		// on that date: across a DST change, 24h × NetDays would not.
		DueAt:    time.Date(local.Year(), local.Month(), local.Day()+req.NetDays, 23, 59, 59, 0, loc),
		Lines:    lines,
		Subtotal: subtotal,
		Discount: Money{Currency: req.Currency},
		TaxBP:    req.TaxBP,
		Status:   "issued",
	}
	if err := inv.total(); err != nil {
		return Invoice{}, err
	}
	if err := s.repo.Save(ctx, inv); err != nil {
		return Invoice{}, err
	}
	s.log.InfoContext(ctx, "invoice issued", "id", inv.ID, "customer", inv.Customer, "total", inv.Total.Minor, "currency", inv.Currency)
	return inv, nil
}

// validate checks req in the order the legacy code did, so that the first
// error reported is the same one.
func (s *Service) validate(req IssueRequest, zoneName string) (*time.Location, error) {
	switch {
	case req.ID == "":
		return nil, invalid("id", "required")
	case req.Customer == "":
		return nil, invalid("customer", "required")
	case !isCurrency(req.Currency):
		return nil, invalid("currency", "must be three upper-case letters")
	}
	loc, err := s.zone(zoneName)
	if err != nil {
		return nil, invalid("zone", fmt.Sprintf("unknown time zone %q", zoneName))
	}
	switch {
	case req.NetDays < 0 || req.NetDays > 365:
		return nil, invalid("net_days", "must be between 0 and 365")
	case req.TaxBP < 0 || req.TaxBP > 10000:
		return nil, invalid("tax_bp", "must be between 0 and 10000")
	case len(req.Lines) == 0:
		return nil, invalid("lines", "at least one line is required")
	}
	for i, l := range req.Lines {
		if err := validateLine(i, l); err != nil {
			return nil, err
		}
	}
	return loc, nil
}

func validateLine(i int, l LineItem) error {
	field := "lines[" + strconv.Itoa(i) + "]"
	switch {
	case l.SKU == "":
		return invalid(field+".sku", "required")
	case l.Qty <= 0:
		return invalid(field+".qty", "must be positive")
	case !isCurrency(l.UnitPrice.Currency):
		return invalid(field+".unit_price.currency", "must be three upper-case letters")
	case l.UnitPrice.Minor < 0:
		return invalid(field+".unit_price.minor", "must not be negative")
	}
	return nil
}

// zone loads a time zone once per Service.
func (s *Service) zone(name string) (*time.Location, error) {
	s.mu.Lock()
	loc, ok := s.zones[name]
	s.mu.Unlock()
	if ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.zones[name] = loc
	s.mu.Unlock()
	return loc, nil
}

// price computes the lines' amounts in the invoice's currency and their sum.
func (s *Service) price(ctx context.Context, req IssueRequest) ([]Line, Money, error) {
	lines := make([]Line, len(req.Lines))
	var subtotal int64
	for i, l := range req.Lines {
		amount, ok := mulDiv(l.Qty, l.UnitPrice.Minor, 1)
		if ok && l.UnitPrice.Currency != req.Currency {
			num, den, err := s.rate(ctx, l.UnitPrice.Currency, req.Currency)
			if err != nil {
				return nil, Money{}, err
			}
			amount, ok = mulDiv(amount, num, den)
		}
		if ok {
			subtotal, ok = add(subtotal, amount)
		}
		if !ok {
			return nil, Money{}, invalid("lines["+strconv.Itoa(i)+"]", "amount overflows int64")
		}
		lines[i] = Line{SKU: l.SKU, Qty: l.Qty, UnitPrice: l.UnitPrice, Amount: Money{Minor: amount, Currency: req.Currency}}
	}
	return lines, Money{Minor: subtotal, Currency: req.Currency}, nil
}

func (s *Service) rate(ctx context.Context, from, to string) (num, den int64, err error) {
	if s.fx == nil {
		return 0, 0, &FXError{Err: errors.New("no exchange-rate service configured")}
	}
	return s.fx.Rate(ctx, from, to)
}

// total recomputes the tax and the total from the subtotal and discount.
func (inv *Invoice) total() error {
	taxable := inv.Subtotal.Minor - inv.Discount.Minor
	tax, ok := mulDiv(taxable, inv.TaxBP, 10000)
	if !ok {
		return invalid("tax", "overflows int64")
	}
	total, ok := add(taxable, tax)
	if !ok {
		return invalid("total", "overflows int64")
	}
	inv.Tax = Money{Minor: tax, Currency: inv.Currency}
	inv.Total = Money{Minor: total, Currency: inv.Currency}
	return nil
}

// ApplyDiscount applies d to an issued invoice, replacing any earlier
// discount, and saves and returns the invoice with its new tax and total.
func (s *Service) ApplyDiscount(ctx context.Context, id string, d Discount) (Invoice, error) {
	inv, err := s.repo.Get(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Invoice{}, fmt.Errorf("invoice %s: %v", id, ErrNotFound) // WRONG: %v
		}
		return Invoice{}, err
	}
	if d == nil {
		return Invoice{}, invalid("kind", `unknown discount kind ""`)
	}
	off, err := d.apply(inv)
	if err != nil {
		return Invoice{}, err
	}
	inv.Discount = off
	inv.DiscountKind = kindOf(d)
	inv.Status = "discounted"
	if err := inv.total(); err != nil {
		return Invoice{}, err
	}
	if err := s.repo.Save(ctx, inv); err != nil {
		return Invoice{}, err
	}
	s.log.InfoContext(ctx, "discount applied", "id", id, "kind", inv.DiscountKind, "discount", off.Minor)
	return inv, nil
}
