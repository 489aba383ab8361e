package billing

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"curriculum.dev/challenges/d07-legacy-refactor/legacy"
)

// benchRequest is a typical invoice: three lines in the invoice's
// currency (no FX call), a zone with DST, tax.
const benchRequest = `{"id": "", "customer": "acme", "currency": "EUR", "zone": "Europe/Paris",
	"net_days": 30, "tax_bp": 2000, "lines": [
	{"sku": "A-100", "qty": 2, "unit_price": {"minor": 1250, "currency": "EUR"}},
	{"sku": "B-7", "qty": 1, "unit_price": {"minor": 19900, "currency": "EUR"}},
	{"sku": "C-1", "qty": 12, "unit_price": {"minor": 45, "currency": "EUR"}}]}`

// BenchmarkIssue is gated: Issue with an in-memory repository must take at
// most the time of BenchmarkLegacyIssue and half its allocations.
func BenchmarkIssue(b *testing.B) {
	var req IssueRequest
	if err := json.Unmarshal([]byte(benchRequest), &req); err != nil {
		b.Fatal(err)
	}
	svc := NewService(newMemRepo(), nil, fixedClock(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)), nil)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req.ID = "B-" + strconv.Itoa(i)
		i++
		if _, err := svc.Issue(ctx, req); err != nil {
			b.Fatalf("Issue: %v", err)
		}
	}
}

// BenchmarkLegacyIssue is the baseline: the same invoice through
// legacy.Issue.
func BenchmarkLegacyIssue(b *testing.B) {
	var req map[string]interface{}
	if err := json.Unmarshal([]byte(benchRequest), &req); err != nil {
		b.Fatal(err)
	}
	legacy.Reset()
	b.Cleanup(legacy.Reset)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req["id"] = "B-" + strconv.Itoa(i)
		i++
		if _, err := legacy.Issue(req); err != nil {
			b.Fatalf("legacy.Issue: %v", err)
		}
	}
}
