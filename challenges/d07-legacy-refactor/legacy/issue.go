package legacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Issue creates an invoice from a request decoded from JSON:
//
//	{"id": "INV-1", "customer": "acme", "currency": "EUR", "zone": "Europe/Paris",
//	 "net_days": 30, "tax_bp": 2000,
//	 "lines": [{"sku": "A", "qty": 2, "unit_price": {"minor": 1250, "currency": "USD"}}]}
//
// "_now" (RFC 3339) overrides the clock; it was added for the tests.
func Issue(req map[string]interface{}) (map[string]interface{}, error) {
	id, _ := req["id"].(string)
	if id == "" {
		return nil, errors.New("validation: id: required")
	}
	customer, _ := req["customer"].(string)
	if customer == "" {
		return nil, errors.New("validation: customer: required")
	}
	currency, _ := req["currency"].(string)
	if !isCurrency(currency) {
		return nil, errors.New("validation: currency: must be three upper-case letters")
	}
	zoneName, _ := req["zone"].(string)
	if zoneName == "" {
		zoneName = "UTC"
	}
	loc, err := zone(zoneName)
	if err != nil {
		return nil, fmt.Errorf("validation: zone: unknown time zone %q", zoneName)
	}
	var netDays int64
	if v, ok := req["net_days"]; ok {
		n, ok := num(v)
		if !ok {
			return nil, errors.New("validation: net_days: must be a number")
		}
		netDays = n
	}
	if netDays < 0 || netDays > 365 {
		return nil, errors.New("validation: net_days: must be between 0 and 365")
	}
	var taxBP int64
	if v, ok := req["tax_bp"]; ok {
		n, ok := num(v)
		if !ok {
			return nil, errors.New("validation: tax_bp: must be a number")
		}
		taxBP = n
	}
	if taxBP < 0 || taxBP > 10000 {
		return nil, errors.New("validation: tax_bp: must be between 0 and 10000")
	}
	rawLines, _ := req["lines"].([]interface{})
	if len(rawLines) == 0 {
		return nil, errors.New("validation: lines: at least one line is required")
	}
	for i, raw := range rawLines {
		l, ok := raw.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("validation: lines[%d]: must be an object", i)
		}
		if sku, _ := l["sku"].(string); sku == "" {
			return nil, fmt.Errorf("validation: lines[%d].sku: required", i)
		}
		qty, ok := num(l["qty"])
		if !ok {
			return nil, fmt.Errorf("validation: lines[%d].qty: must be a number", i)
		}
		if qty <= 0 {
			return nil, fmt.Errorf("validation: lines[%d].qty: must be positive", i)
		}
		price, ok := l["unit_price"].(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("validation: lines[%d].unit_price: required", i)
		}
		if c, _ := price["currency"].(string); !isCurrency(c) {
			return nil, fmt.Errorf("validation: lines[%d].unit_price.currency: must be three upper-case letters", i)
		}
		minor, ok := num(price["minor"])
		if !ok {
			return nil, fmt.Errorf("validation: lines[%d].unit_price.minor: must be a number", i)
		}
		if minor < 0 {
			return nil, fmt.Errorf("validation: lines[%d].unit_price.minor: must not be negative", i)
		}
	}

	if _, err := db.get(id); err == nil {
		return nil, errors.New("validation: id: already issued")
	} else if err.Error() != "not found" {
		return nil, err
	}

	var lines []interface{}
	var subtotal int64
	for _, raw := range rawLines {
		l := raw.(map[string]interface{})
		qty, _ := num(l["qty"])
		price := l["unit_price"].(map[string]interface{})
		minor, _ := num(price["minor"])
		from := price["currency"].(string)
		amount := qty * minor
		if from != currency {
			n, d, err := rate(from, currency)
			if err != nil {
				return nil, err
			}
			amount = mulDiv(amount, n, d)
		}
		subtotal += amount
		lines = append(lines, map[string]interface{}{
			"sku":        l["sku"],
			"qty":        qty,
			"unit_price": money(minor, from),
			"amount":     money(amount, currency),
		})
	}

	now := time.Now()
	if s, ok := req["_now"].(string); ok {
		now, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, err
		}
	}
	local := now.In(loc)
	due := time.Date(local.Year(), local.Month(), local.Day()+int(netDays), 23, 59, 59, 0, loc)

	tax := mulDiv(subtotal, taxBP, 10000)
	inv := map[string]interface{}{
		"id":            id,
		"customer":      customer,
		"currency":      currency,
		"zone":          zoneName,
		"issued_at":     now.UTC().Format(time.RFC3339),
		"due_at":        due.Format(time.RFC3339),
		"lines":         lines,
		"subtotal":      money(subtotal, currency),
		"discount":      money(0, currency),
		"discount_kind": "",
		"tax_bp":        taxBP,
		"tax":           money(tax, currency),
		"total":         money(subtotal+tax, currency),
		"status":        "issued",
	}
	if err := db.put(id, inv); err != nil {
		return nil, err
	}
	logger.Printf("issued invoice %s to %s: %d %s", id, customer, subtotal+tax, currency)
	return inv, nil
}

// ToJSON is how the HTTP layer writes an invoice (or anything else).
func ToJSON(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return `{"error":"` + err.Error() + `"}`
	}
	return string(b)
}

func money(minor int64, currency string) map[string]interface{} {
	return map[string]interface{}{"minor": minor, "currency": currency}
}

// mulDiv is a*b/c rounded half up.
func mulDiv(a, b, c int64) int64 {
	return (a*b + c/2) / c
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// num accepts what encoding/json puts in an interface{} (float64) and what
// Go callers pass (int, int64), as long as it is a whole number.
func num(v interface{}) (int64, bool) {
	switch n := v.(type) {
	case float64:
		if n != float64(int64(n)) {
			return 0, false
		}
		return int64(n), true
	case int:
		return int64(n), true
	case int64:
		return n, true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
