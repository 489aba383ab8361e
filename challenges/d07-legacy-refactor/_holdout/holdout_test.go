package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"curriculum.dev/challenges/d07-legacy-refactor/legacy"
	"github.com/google/go-cmp/cmp"
)

// TestHoldoutLiveCharacterisation plays scenarios that are not in the
// recording against legacy and the Service side by side.
func TestHoldoutLiveCharacterisation(t *testing.T) {
	srv := newFXServer(t)
	legacy.FXURL = srv.URL
	legacy.Reset()
	t.Cleanup(legacy.Reset)
	fx := NewHTTPFX(srv.Client(), srv.URL)
	type m = map[string]any
	line := func(sku string, q, p int64, c string) m {
		return m{"sku": sku, "qty": q, "unit_price": m{"minor": p, "currency": c}}
	}
	zones := []string{"America/Sao_Paulo", "Europe/Moscow", "Asia/Kathmandu", "America/St_Johns", "Pacific/Apia", "Africa/Casablanca", "America/Havana", "Europe/Dublin"}
	nows := []string{"2026-03-08T06:59:59Z", "2026-11-01T05:30:00Z", "2026-03-29T00:59:59Z", "2026-10-25T01:00:01Z", "2027-01-01T00:00:00Z", "2026-04-05T15:45:00.5Z"}
	var scs []scenario
	k := 0
	for zi, z := range zones {
		for ni, now := range nows {
			k++
			id := fmt.Sprintf("H-%03d", k)
			req := m{"id": id, "customer": "c" + fmt.Sprint(k), "currency": []string{"EUR", "USD", "GBP"}[k%3], "zone": z,
				"net_days": (zi*37 + ni*11) % 366, "tax_bp": (k * 733) % 10001,
				"lines": []m{line("A", int64(k%7+1), int64(k*137%100000), "EUR"), line("B", 3, 1001, []string{"USD", "GBP", "EUR", "JPY"}[k%4])}}
			disc := []m{
				{"kind": "pct", "bp": k*97%10000 + 1},
				{"kind": "flat", "amount": m{"minor": k * 13, "currency": req["currency"]}},
				{"kind": "tiered", "tiers": []m{{"from": 0, "bp": 10}, {"from": 500, "bp": 200}, {"from": 5000, "bp": 900}}},
				{"kind": "fixed", "amount": m{"minor": 1, "currency": "CHF"}},
			}[k%4]
			ri, _ := json.Marshal(req)
			di, _ := json.Marshal(disc)
			scs = append(scs, scenario{Name: id, Now: now, Steps: []step{{Issue: ri}, {ID: id, Discount: di}, {Get: id}}})
		}
	}
	repo := newMemRepo()
	for _, sc := range scs {
		want := runLegacy(t, sc)
		got := runService(t, sc, repo, fx)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (zone and clock %s) (-legacy +yours):\n%s", sc.Name, sc.Now, diff)
		}
	}
}

func TestHoldoutNilDependencies(t *testing.T) {
	svc := NewService(newMemRepo(), nil, fixedClock(mustTime(t, "2026-01-01T00:00:00Z")), nil)
	_, err := svc.Issue(context.Background(), request("N1", item(1, Money{Minor: 5, Currency: "USD"})))
	if _, ok := errors.AsType[*FXError](err); !ok {
		t.Errorf("Issue with a foreign price and no FX service: got %v, want an *FXError", err)
	}
	if _, err := svc.Issue(context.Background(), request("N2", item(1, eur(5)))); err != nil {
		t.Errorf("Issue in the invoice's currency with no FX service: got %v, want nil", err)
	}
}

func TestHoldoutOverflowInTiersAndTax(t *testing.T) {
	svc, _ := newService(t, "2026-01-01T00:00:00Z")
	req := request("O1", item(1, eur(math.MaxInt64)))
	req.TaxBP = 0
	if _, err := svc.Issue(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	inv, err := svc.ApplyDiscount(t.Context(), "O1", Tiered{Tiers: []Tier{{0, 1}, {math.MaxInt64 - 1, 9999}}})
	if err != nil {
		t.Fatalf("ApplyDiscount: %v", err)
	}
	if want := int64(9222449699651090329); inv.Discount.Minor != want {
		t.Errorf("99.99%% of MaxInt64: got %d, want %d", inv.Discount.Minor, want)
	}
	req = request("O2", item(3, eur(math.MaxInt64/3)), item(1, eur(2)))
	req.TaxBP = 0
	if _, err := svc.Issue(t.Context(), req); !isValidation(err, "lines[1]") {
		t.Errorf("subtotal one past MaxInt64: got %v, want a *ValidationError on lines[1]", err)
	}
}

func TestHoldoutParseDiscountEdges(t *testing.T) {
	for _, in := range []string{`{"kind":"tiered","tiers":{}}`, `[]`, `{"kind":"fixed","amount":[]}`, ``} {
		if _, err := ParseDiscount([]byte(in)); !isValidation(err, "discount") && !isValidation(err, "kind") {
			t.Errorf("ParseDiscount(%q): got %v, want a *ValidationError", in, err)
		}
	}
	d, err := ParseDiscount([]byte(`{"kind":"percent","bp":1,"extra":true}`))
	if err != nil || d != (Percent{BP: 1}) {
		t.Errorf("ParseDiscount with an unknown field: got %v, %v, want Percent{1}, nil", d, err)
	}
}
