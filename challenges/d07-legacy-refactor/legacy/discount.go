package legacy

import (
	"errors"
	"fmt"
)

// ApplyDiscount applies a discount to an issued invoice, replacing any
// earlier one, and recomputes its tax and total. The discount comes from
// JSON:
//
//	{"kind": "percent", "bp": 1250}                                  // 12.5 %
//	{"kind": "fixed", "amount": {"minor": 500, "currency": "EUR"}}   // capped at the subtotal
//	{"kind": "tiered", "tiers": [{"from": 0, "bp": 0}, {"from": 10000, "bp": 500}]}
//
// "pct" and "flat" are accepted for "percent" and "fixed": old clients
// still send them.
func ApplyDiscount(id string, d map[string]interface{}) (map[string]interface{}, error) {
	inv, err := db.get(id)
	if err != nil {
		if err.Error() == "not found" {
			return nil, errors.New("invoice " + id + ": not found")
		}
		return nil, err
	}
	currency := inv["currency"].(string)
	subtotal := inv["subtotal"].(map[string]interface{})["minor"].(int64)
	kind, _ := d["kind"].(string)

	switch kind {
	case "percent", "pct":
		raw, ok := d["bp"]
		if !ok {
			return nil, errors.New("validation: bp: must be a number")
		}
		bp, ok := num(raw)
		if !ok {
			return nil, errors.New("validation: bp: must be a number")
		}
		if bp < 1 || bp > 10000 {
			return nil, errors.New("validation: bp: must be between 1 and 10000")
		}
		discount := mulDiv(subtotal, bp, 10000)
		logger.Printf("invoice %s: %d bp off %d", id, bp, subtotal)

		taxBP, ok := inv["tax_bp"].(int64)
		if !ok {
			return nil, errors.New("corrupt invoice " + id + ": tax_bp")
		}
		taxable := subtotal - discount
		tax := mulDiv(taxable, taxBP, 10000)
		inv["discount"] = money(discount, currency)
		inv["discount_kind"] = "percent"
		inv["tax"] = money(tax, currency)
		inv["total"] = money(taxable+tax, currency)
		inv["status"] = "discounted"
		if err := db.put(id, inv); err != nil {
			return nil, err
		}
		return inv, nil

	case "fixed", "flat":
		amount, ok := d["amount"].(map[string]interface{})
		if !ok {
			return nil, errors.New("validation: amount: required")
		}
		minor, ok := num(amount["minor"])
		if !ok {
			return nil, errors.New("validation: amount.minor: must be a number")
		}
		if minor < 0 {
			return nil, errors.New("validation: amount.minor: must not be negative")
		}
		c, _ := amount["currency"].(string)
		if c != currency {
			return nil, fmt.Errorf("validation: amount.currency: must be %s", currency)
		}
		if minor > subtotal {
			logger.Printf("invoice %s: fixed discount %d capped at %d", id, minor, subtotal)
			minor = subtotal
		}
		discount := minor

		taxBP, ok := inv["tax_bp"].(int64)
		if !ok {
			return nil, errors.New("corrupt invoice " + id + ": tax_bp")
		}
		taxable := subtotal - discount
		tax := mulDiv(taxable, taxBP, 10000)
		inv["discount"] = money(discount, currency)
		inv["discount_kind"] = "fixed"
		inv["tax"] = money(tax, currency)
		inv["total"] = money(taxable+tax, currency)
		inv["status"] = "discounted"
		if err := db.put(id, inv); err != nil {
			return nil, err
		}
		return inv, nil

	case "tiered":
		rawTiers, ok := d["tiers"].([]interface{})
		if !ok || len(rawTiers) == 0 {
			return nil, errors.New("validation: tiers: at least one tier is required")
		}
		var prevFrom int64
		var chosen int64 = -1
		for i, raw := range rawTiers {
			tier, ok := raw.(map[string]interface{})
			if !ok {
				return nil, fmt.Errorf("validation: tiers[%d]: must be an object", i)
			}
			from, ok := num(tier["from"])
			if !ok {
				return nil, fmt.Errorf("validation: tiers[%d].from: must be a number", i)
			}
			if i == 0 && from != 0 {
				return nil, errors.New("validation: tiers[0].from: must be 0")
			}
			if i > 0 && from <= prevFrom {
				return nil, fmt.Errorf("validation: tiers[%d].from: must be greater than %d", i, prevFrom)
			}
			bp, ok := num(tier["bp"])
			if !ok {
				return nil, fmt.Errorf("validation: tiers[%d].bp: must be a number", i)
			}
			if bp < 0 || bp > 10000 {
				return nil, fmt.Errorf("validation: tiers[%d].bp: must be between 0 and 10000", i)
			}
			if from <= subtotal {
				chosen = bp
			}
			prevFrom = from
		}
		if chosen < 0 {
			// cannot happen: tiers[0].from is 0 and subtotals are not negative
			chosen = 0
		}
		discount := mulDiv(subtotal, chosen, 10000)
		logger.Printf("invoice %s: tier %d bp off %d", id, chosen, subtotal)

		taxBP, ok := inv["tax_bp"].(int64)
		if !ok {
			return nil, errors.New("corrupt invoice " + id + ": tax_bp")
		}
		taxable := subtotal - discount
		tax := mulDiv(taxable, taxBP, 10000)
		inv["discount"] = money(discount, currency)
		inv["discount_kind"] = "tiered"
		inv["tax"] = money(tax, currency)
		inv["total"] = money(taxable+tax, currency)
		inv["status"] = "discounted"
		if err := db.put(id, inv); err != nil {
			return nil, err
		}
		return inv, nil

	default:
		return nil, fmt.Errorf("validation: kind: unknown discount kind %q", kind)
	}
}
