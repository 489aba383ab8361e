package billing

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentIssue shares one Service between goroutines that issue
// invoices in many zones and currencies and discount them. Run it with
// -race: a cache or counter in the Service (or in the package) without
// synchronisation is a data race.
func TestConcurrentIssue(t *testing.T) {
	svc, repo := newService(t, "2026-03-28T23:30:00Z")
	zones := []string{"", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Europe/London", "Asia/Tokyo"}
	currencies := []string{"EUR", "USD", "GBP"}
	const workers, each = 6, 12
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("C-%d-%d", w, i)
				req := IssueRequest{
					ID: id, Customer: "acme", Currency: "EUR", Zone: zones[(w+i)%len(zones)], NetDays: i, TaxBP: 2000,
					Lines: []LineItem{{SKU: "A", Qty: int64(i + 1), UnitPrice: Money{Minor: 1000, Currency: currencies[(w*i)%len(currencies)]}}},
				}
				if _, err := svc.Issue(t.Context(), req); err != nil {
					errs <- fmt.Errorf("Issue(%s): %w", id, err)
					continue
				}
				if _, err := svc.ApplyDiscount(t.Context(), id, Percent{BP: 1000}); err != nil {
					errs <- fmt.Errorf("ApplyDiscount(%s): %w", id, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for w := range workers {
		for i := range each {
			id := fmt.Sprintf("C-%d-%d", w, i)
			inv, err := repo.Get(t.Context(), id)
			if err != nil {
				t.Errorf("repo.Get(%s): %v", id, err)
				continue
			}
			if inv.Status != "discounted" || inv.Total.Minor != inv.Subtotal.Minor-inv.Discount.Minor+inv.Tax.Minor {
				t.Errorf("%s: got status %q, total %d = %d - %d + %d?", id, inv.Status, inv.Total.Minor, inv.Subtotal.Minor, inv.Discount.Minor, inv.Tax.Minor)
			}
		}
	}
}
