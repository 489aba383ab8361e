package billing

// Discount is a discount an invoice can get. The interface is sealed (its
// method is unexported): Percent, Fixed and Tiered are all there is, so a
// type switch over them is exhaustive, and an unknown kind can only come
// from the outside, through ParseDiscount.
type Discount interface {
	apply(Invoice) (Money, error)
}

// Percent takes BP basis points (1..10000) off the subtotal.
type Percent struct {
	BP int64 `json:"bp"`
}

// Fixed takes a fixed amount off the subtotal, at most the subtotal. The
// amount must be in the invoice's currency.
type Fixed struct {
	Amount Money `json:"amount"`
}

// Tier is one step of a Tiered discount: subtotals from From (minor units)
// up get BP basis points off.
type Tier struct {
	From int64 `json:"from"`
	BP   int64 `json:"bp"`
}

// Tiered applies the last tier whose From is at most the subtotal. Tiers
// start at 0 and go up strictly.
type Tiered struct {
	Tiers []Tier `json:"tiers"`
}

// TODO(d07): each case of the legacy switch in legacy/discount.go becomes
// the apply method of its type: validate, then compute the amount off.

func (p Percent) apply(inv Invoice) (Money, error) { return Money{}, ErrNotImplemented }

func (f Fixed) apply(inv Invoice) (Money, error) { return Money{}, ErrNotImplemented }

func (t Tiered) apply(inv Invoice) (Money, error) { return Money{}, ErrNotImplemented }

// ParseDiscount decodes a discount from its JSON form, the boundary where
// the legacy "kind" strings become types:
//
//	{"kind": "percent", "bp": 1250}
//	{"kind": "fixed", "amount": {"minor": 500, "currency": "EUR"}}
//	{"kind": "tiered", "tiers": [{"from": 0, "bp": 0}, {"from": 10000, "bp": 500}]}
//
// "pct" and "flat" are accepted for "percent" and "fixed". An unknown kind
// is a *ValidationError. The values are checked when the discount is
// applied.
func ParseDiscount(data []byte) (Discount, error) {
	// TODO(d07)
	return nil, ErrNotImplemented
}
