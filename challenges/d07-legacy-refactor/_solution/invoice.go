package billing

import "time"

// IssueRequest is what a client sends to issue an invoice.
type IssueRequest struct {
	ID       string     `json:"id"`
	Customer string     `json:"customer"`
	Currency string     `json:"currency"` // the invoice's currency
	Zone     string     `json:"zone"`     // the customer's IANA time zone; "" is UTC
	NetDays  int        `json:"net_days"` // payment term, 0..365 days
	TaxBP    int64      `json:"tax_bp"`   // tax rate in basis points, 0..10000
	Lines    []LineItem `json:"lines"`
}

// LineItem is one requested line. Its price may be in another currency
// than the invoice's.
type LineItem struct {
	SKU       string `json:"sku"`
	Qty       int64  `json:"qty"`
	UnitPrice Money  `json:"unit_price"`
}

// Invoice is an issued invoice. Its JSON form is the legacy one, field for
// field and byte for byte: the fields are in the alphabetical order of
// their JSON names, as encoding/json wrote the legacy maps.
type Invoice struct {
	Currency     string    `json:"currency"`
	Customer     string    `json:"customer"`
	Discount     Money     `json:"discount"`
	DiscountKind string    `json:"discount_kind"` // "", "percent", "fixed" or "tiered"
	DueAt        time.Time `json:"due_at"`        // 23:59:59 in the customer's zone
	ID           string    `json:"id"`
	IssuedAt     time.Time `json:"issued_at"` // UTC, whole seconds
	Lines        []Line    `json:"lines"`
	Status       string    `json:"status"` // "issued" or "discounted"
	Subtotal     Money     `json:"subtotal"`
	Tax          Money     `json:"tax"`
	TaxBP        int64     `json:"tax_bp"`
	Total        Money     `json:"total"`
	Zone         string    `json:"zone"`
}

// Line is an invoiced line: Amount is Qty × UnitPrice in the invoice's
// currency.
type Line struct {
	Amount    Money  `json:"amount"`
	Qty       int64  `json:"qty"`
	SKU       string `json:"sku"`
	UnitPrice Money  `json:"unit_price"`
}
