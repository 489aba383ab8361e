package billing

import (
	"encoding/json"
	"fmt"
	"strconv"
)

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

func (p Percent) apply(inv Invoice) (Money, error) {
	if p.BP < 1 || p.BP > 10000 {
		return Money{}, invalid("bp", "must be between 1 and 10000")
	}
	return percentOf(inv.Subtotal, p.BP)
}

func (f Fixed) apply(inv Invoice) (Money, error) {
	if f.Amount.Minor < 0 {
		return Money{}, invalid("amount.minor", "must not be negative")
	}
	if f.Amount.Currency != inv.Currency {
		return Money{}, invalid("amount.currency", "must be "+inv.Currency)
	}
	return Money{Minor: min(f.Amount.Minor, inv.Subtotal.Minor), Currency: inv.Currency}, nil
}

func (t Tiered) apply(inv Invoice) (Money, error) {
	if len(t.Tiers) == 0 {
		return Money{}, invalid("tiers", "at least one tier is required")
	}
	var bp int64
	for i, tier := range t.Tiers {
		field := "tiers[" + strconv.Itoa(i) + "]"
		switch {
		case i == 0 && tier.From != 0:
			return Money{}, invalid(field+".from", "must be 0")
		case i > 0 && tier.From <= t.Tiers[i-1].From:
			return Money{}, invalidf(field+".from", "must be greater than %d", t.Tiers[i-1].From)
		case tier.BP < 0 || tier.BP > 10000:
			return Money{}, invalid(field+".bp", "must be between 0 and 10000")
		}
		if tier.From <= inv.Subtotal.Minor {
			bp = tier.BP
		}
	}
	return percentOf(inv.Subtotal, bp)
}

// percentOf is bp basis points of m, rounded half up.
func percentOf(m Money, bp int64) (Money, error) {
	v, ok := mulDiv(m.Minor, bp, 10000)
	if !ok {
		return Money{}, invalid("amount", "overflows int64")
	}
	return Money{Minor: v, Currency: m.Currency}, nil
}

// kindOf names a discount as the invoice's discount_kind does.
func kindOf(d Discount) string {
	switch d.(type) {
	case Percent:
		return "percent"
	case Fixed:
		return "fixed"
	case Tiered:
		return "tiered"
	}
	return "" // unreachable: the interface is sealed
}

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
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, invalid("discount", err.Error())
	}
	var d Discount
	var err error
	switch head.Kind {
	case "percent", "pct":
		var p Percent
		err = json.Unmarshal(data, &p)
		d = p
	case "fixed", "flat":
		var f Fixed
		err = json.Unmarshal(data, &f)
		d = f
	case "tiered":
		var t Tiered
		err = json.Unmarshal(data, &t)
		d = t
	default:
		return nil, invalid("kind", fmt.Sprintf("unknown discount kind %q", head.Kind))
	}
	if err != nil {
		return nil, invalid("discount", err.Error())
	}
	return d, nil
}
