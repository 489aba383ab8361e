package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newService(t *testing.T, now string) (*Service, *memRepo) {
	t.Helper()
	repo := newMemRepo()
	srv := newFXServer(t)
	return NewService(repo, NewHTTPFX(srv.Client(), srv.URL), fixedClock(mustTime(t, now)), nil), repo
}

func eur(minor int64) Money { return Money{Minor: minor, Currency: "EUR"} }

func request(id string, lines ...LineItem) IssueRequest {
	return IssueRequest{ID: id, Customer: "acme", Currency: "EUR", NetDays: 30, TaxBP: 2000, Lines: lines}
}

func item(qty int64, price Money) LineItem { return LineItem{SKU: "A-1", Qty: qty, UnitPrice: price} }

// TestDueDateAcrossDST: the due date is NetDays calendar days after the
// issue date in the customer's zone, at 23:59:59 local time, whatever the
// clocks did in between. Adding 24h × NetDays gets these wrong.
func TestDueDateAcrossDST(t *testing.T) {
	tests := []struct {
		name, zone, now string
		net             int
		want            string
	}{
		{"New York spring forward, issued 23:30 EST", "America/New_York", "2026-03-02T04:30:00Z", 14, "2026-03-15T23:59:59-04:00"},
		{"Paris fall back, issued 00:30 CEST", "Europe/Paris", "2026-10-19T22:30:00Z", 10, "2026-10-30T23:59:59+01:00"},
		{"Sydney fall back, issued 00:30 AEDT", "Australia/Sydney", "2026-03-31T13:30:00Z", 7, "2026-04-08T23:59:59+10:00"},
		{"Santiago spring forward", "America/Santiago", "2026-09-05T03:30:00Z", 3, "2026-09-07T23:59:59-03:00"},
		{"customer still on yesterday", "America/Los_Angeles", "2026-07-01T05:00:00Z", 1, "2026-07-01T23:59:59-07:00"},
		{"customer already on tomorrow", "Asia/Tokyo", "2026-06-30T20:00:00Z", 0, "2026-07-01T23:59:59+09:00"},
		{"due on the day of issue, UTC", "", "2026-12-31T23:59:59Z", 0, "2026-12-31T23:59:59Z"},
		{"into a leap day", "Europe/London", "2028-01-30T12:00:00Z", 30, "2028-02-29T23:59:59Z"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t, tt.now)
			req := request(fmt.Sprint("DST-", i), item(1, eur(1000)))
			req.Zone, req.NetDays = tt.zone, tt.net
			inv, err := svc.Issue(t.Context(), req)
			if err != nil {
				t.Fatalf("Issue: got error %v, want nil", err)
			}
			if got := inv.DueAt.Format(time.RFC3339); got != tt.want {
				t.Errorf("DueAt: got %s, want %s (issued %s, %d days, zone %q)", got, tt.want, tt.now, tt.net, tt.zone)
			}
			if got := inv.IssuedAt; got.Location() != time.UTC || got.Nanosecond() != 0 || !got.Equal(mustTime(t, tt.now)) {
				t.Errorf("IssuedAt: got %v, want the injected clock's time %s in UTC", got, tt.now)
			}
		})
	}
}

// TestClockIsInjected: the issue time is the injected clock's, in UTC,
// truncated to the second (the legacy format had no fractions).
func TestClockIsInjected(t *testing.T) {
	svc, _ := newService(t, "1999-12-31T23:59:58.75+01:00")
	inv, err := svc.Issue(t.Context(), request("CLOCK", item(1, eur(1))))
	if err != nil {
		t.Fatalf("Issue: got error %v, want nil", err)
	}
	if got, want := inv.IssuedAt, time.Date(1999, 12, 31, 22, 59, 58, 0, time.UTC); got != want {
		t.Errorf("IssuedAt: got %v, want %v: the injected clock, in UTC, whole seconds", got, want)
	}
}

// TestFXErrors: a failing exchange-rate service is an *FXError carrying
// the HTTP status, and nothing is saved.
func TestFXErrors(t *testing.T) {
	tests := []struct {
		currency   string
		wantStatus int
		wantCause  bool
	}{
		{"XXX", http.StatusInternalServerError, false},
		{"AUD", http.StatusNotFound, false},
		{"ZZZ", http.StatusOK, true}, // 200 with a zero denominator
	}
	for _, tt := range tests {
		t.Run(tt.currency, func(t *testing.T) {
			svc, repo := newService(t, "2026-03-01T10:00:00Z")
			_, err := svc.Issue(t.Context(), request("FX-"+tt.currency, item(1, eur(100)), item(1, Money{Minor: 100, Currency: tt.currency})))
			fxErr, ok := errors.AsType[*FXError](err)
			if !ok {
				t.Fatalf("Issue with a line in %s: got error %v (%T), want an *FXError", tt.currency, err, err)
			}
			if fxErr.Status != tt.wantStatus {
				t.Errorf("FXError.Status: got %d, want %d", fxErr.Status, tt.wantStatus)
			}
			if (fxErr.Err != nil) != tt.wantCause {
				t.Errorf("FXError.Err: got %v, want a cause: %v", fxErr.Err, tt.wantCause)
			}
			if _, err := repo.Get(t.Context(), "FX-"+tt.currency); !errors.Is(err, ErrNotFound) {
				t.Errorf("repo after a failed Issue: got %v, want nothing saved", err)
			}
		})
	}
}

// TestFXContextTimeout: the ctx given to Issue reaches the HTTP request, so
// a hung exchange-rate service costs the caller its deadline, not forever.
func TestFXContextTimeout(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(release) }) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		case <-time.After(3 * time.Second):
		}
		http.Error(w, "too late", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(stop)
	svc := NewService(newMemRepo(), NewHTTPFX(srv.Client(), srv.URL), fixedClock(mustTime(t, "2026-03-01T10:00:00Z")), nil)

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := svc.Issue(ctx, request("SLOW", item(1, Money{Minor: 100, Currency: "USD"})))
	elapsed := time.Since(start)
	stop()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Issue with a 100ms deadline and a hung FX service: got error %v, want one wrapping context.DeadlineExceeded", err)
	}
	if fxErr, ok := errors.AsType[*FXError](err); !ok || fxErr.Status != 0 {
		t.Errorf("Issue: got %v, want an *FXError with Status 0 (no response)", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("Issue took %v with a 100ms deadline, want it to return at the deadline", elapsed)
	}
}

// TestHTTPFX checks the client on its own: the request it sends and the
// rate it reads.
func TestHTTPFX(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI())
		mu.Unlock()
		fxHandler(w, r)
	}))
	t.Cleanup(srv.Close)
	fx := NewHTTPFX(srv.Client(), srv.URL+"/")
	num, den, err := fx.Rate(t.Context(), "USD", "EUR")
	if err != nil || num != 92 || den != 100 {
		t.Errorf("Rate(USD, EUR): got %d/%d, %v, want 92/100, nil", num, den, err)
	}
	if diff := cmp.Diff([]string{"GET /rate?from=USD&to=EUR"}, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestValidationErrors: bad input is a *ValidationError naming the field,
// and nothing is saved.
func TestValidationErrors(t *testing.T) {
	big := Money{Minor: math.MaxInt64, Currency: "EUR"}
	tests := []struct {
		name        string
		edit        func(*IssueRequest)
		field, want string
	}{
		{"no id", func(r *IssueRequest) { r.ID = "" }, "id", "required"},
		{"lower-case currency", func(r *IssueRequest) { r.Currency = "eur" }, "currency", "must be three upper-case letters"},
		{"unknown zone", func(r *IssueRequest) { r.Zone = "Atlantis/Capital" }, "zone", `unknown time zone "Atlantis/Capital"`},
		{"negative tax", func(r *IssueRequest) { r.TaxBP = -1 }, "tax_bp", "must be between 0 and 10000"},
		{"negative amount", func(r *IssueRequest) { r.Lines[1].UnitPrice.Minor = -500 }, "lines[1].unit_price.minor", "must not be negative"},
		{"negative quantity", func(r *IssueRequest) { r.Lines[0].Qty = -1 }, "lines[0].qty", "must be positive"},
		{"no lines", func(r *IssueRequest) { r.Lines = nil }, "lines", "at least one line is required"},
		{"qty × price overflows", func(r *IssueRequest) { r.Lines[1] = item(2, big) }, "lines[1]", "amount overflows int64"},
		{"sum overflows", func(r *IssueRequest) { r.Lines = []LineItem{item(1, big), item(1, big)} }, "lines[1]", "amount overflows int64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, repo := newService(t, "2026-03-01T10:00:00Z")
			req := request("V", item(1, eur(100)), item(2, eur(50)))
			tt.edit(&req)
			inv, err := svc.Issue(t.Context(), req)
			ve, ok := errors.AsType[*ValidationError](err)
			if !ok {
				t.Fatalf("Issue: got %+v, error %v (%T), want a *ValidationError", inv.Total, err, err)
			}
			if ve.Field != tt.field || ve.Reason != tt.want {
				t.Errorf("ValidationError: got {%q, %q}, want {%q, %q}", ve.Field, ve.Reason, tt.field, tt.want)
			}
			if want := "validation: " + tt.field + ": " + tt.want; err.Error() != want {
				t.Errorf("Error(): got %q, want %q", err.Error(), want)
			}
			if _, err := repo.Get(t.Context(), "V"); !errors.Is(err, ErrNotFound) {
				t.Errorf("repo after a rejected Issue: got %v, want nothing saved", err)
			}
		})
	}
}

// TestNoWrapAround: where the legacy code silently wrapped around int64,
// the refactoring reports an error, or computes the right value when only
// an intermediate product is too big.
func TestNoWrapAround(t *testing.T) {
	svc, _ := newService(t, "2026-03-01T10:00:00Z")
	ctx := t.Context()
	const half = math.MaxInt64/2 + 1

	// Converting 1.09 × a huge USD amount: no longer fits.
	req := request("W1", item(1, Money{Minor: math.MaxInt64 - 10, Currency: "EUR"}))
	req.Currency = "USD"
	if _, err := svc.Issue(ctx, req); !isValidation(err, "lines[0]") {
		t.Errorf("FX conversion beyond int64: got %v, want a *ValidationError for lines[0]", err)
	}
	// Tax on a huge subtotal: the total does not fit.
	req = request("W2", item(1, eur(math.MaxInt64-1)))
	if _, err := svc.Issue(ctx, req); err == nil {
		t.Errorf("total beyond int64: got nil error, want an error")
	}
	// No tax: fits; then 50% off: subtotal×bp overflows 64 bits in the
	// middle of the computation, the result does not.
	req = request("W3", item(1, eur(math.MaxInt64)))
	req.TaxBP = 0
	if _, err := svc.Issue(ctx, req); err != nil {
		t.Fatalf("Issue of MaxInt64 with no tax: got %v, want nil", err)
	}
	inv, err := svc.ApplyDiscount(ctx, "W3", Percent{BP: 5000})
	if err != nil {
		t.Fatalf("ApplyDiscount(50%%): got %v, want nil", err)
	}
	if want := eur(half); inv.Discount != want {
		t.Errorf("50%% of MaxInt64: got %+v, want %+v (rounded half up)", inv.Discount, want)
	}
	if inv.Total.Minor <= 0 || inv.Total.Minor != inv.Subtotal.Minor-inv.Discount.Minor {
		t.Errorf("Total after the discount: got %d, want %d", inv.Total.Minor, inv.Subtotal.Minor-inv.Discount.Minor)
	}
}

func isValidation(err error, field string) bool {
	ve, ok := errors.AsType[*ValidationError](err)
	return ok && ve.Field == field
}

// TestParseDiscount: the JSON kinds (and their legacy aliases) become the
// sealed types; anything else is a *ValidationError.
func TestParseDiscount(t *testing.T) {
	good := []struct {
		in   string
		want Discount
	}{
		{`{"kind":"percent","bp":1250}`, Percent{BP: 1250}},
		{`{"kind":"pct","bp":5}`, Percent{BP: 5}},
		{`{"kind":"fixed","amount":{"minor":500,"currency":"EUR"}}`, Fixed{Amount: eur(500)}},
		{`{"kind":"flat","amount":{"currency":"USD","minor":1}}`, Fixed{Amount: Money{Minor: 1, Currency: "USD"}}},
		{`{"kind":"tiered","tiers":[{"from":0,"bp":0},{"from":100,"bp":250}]}`, Tiered{Tiers: []Tier{{0, 0}, {100, 250}}}},
	}
	for _, tt := range good {
		d, err := ParseDiscount([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseDiscount(%s): got error %v, want nil", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, d); diff != "" {
			t.Errorf("ParseDiscount(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
	bad := []struct{ in, field string }{
		{`{"kind":"bogo"}`, "kind"},
		{`{"bp":100}`, "kind"},
		{`{"kind":"Percent","bp":100}`, "kind"},
		{`{"kind":"percent","bp":"ten"}`, ""},
		{`not json`, ""},
	}
	for _, tt := range bad {
		d, err := ParseDiscount([]byte(tt.in))
		ve, ok := errors.AsType[*ValidationError](err)
		if !ok {
			t.Errorf("ParseDiscount(%s): got %v, %v, want a *ValidationError", tt.in, d, err)
			continue
		}
		if tt.field != "" && ve.Field != tt.field {
			t.Errorf("ParseDiscount(%s): got field %q, want %q", tt.in, ve.Field, tt.field)
		}
	}
}

// TestDiscounts applies each kind through the typed API.
func TestDiscounts(t *testing.T) {
	tiers := Tiered{Tiers: []Tier{{0, 0}, {10000, 500}, {50000, 1000}}}
	tests := []struct {
		name       string
		subtotal   int64
		d          Discount
		want       int64
		wantErrOn  string
		wantStatus string
		wantKind   string
		wantTax    int64
	}{
		{"percent", 20000, Percent{BP: 1250}, 2500, "", "discounted", "percent", 3500},
		{"percent rounds half up", 3, Percent{BP: 5000}, 2, "", "discounted", "percent", 0},
		{"fixed", 20000, Fixed{Amount: eur(999)}, 999, "", "discounted", "fixed", 3800},
		{"fixed capped at subtotal", 500, Fixed{Amount: eur(800)}, 500, "", "discounted", "fixed", 0},
		{"tiered below first step", 9999, tiers, 0, "", "discounted", "tiered", 2000},
		{"tiered on a step", 50000, tiers, 5000, "", "discounted", "tiered", 9000},
		{"percent 0", 100, Percent{}, 0, "bp", "", "", 0},
		{"negative fixed", 100, Fixed{Amount: eur(-1)}, 0, "amount.minor", "", "", 0},
		{"fixed in another currency", 100, Fixed{Amount: Money{Minor: 1, Currency: "GBP"}}, 0, "amount.currency", "", "", 0},
		{"tiers not ascending", 100, Tiered{Tiers: []Tier{{0, 0}, {10, 1}, {10, 2}}}, 0, "tiers[2].from", "", "", 0},
		{"no discount at all", 100, nil, 0, "kind", "", "", 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, repo := newService(t, "2026-03-01T10:00:00Z")
			id := fmt.Sprint("D-", i)
			if _, err := svc.Issue(t.Context(), request(id, item(1, eur(tt.subtotal)))); err != nil {
				t.Fatalf("Issue: %v", err)
			}
			inv, err := svc.ApplyDiscount(t.Context(), id, tt.d)
			if tt.wantErrOn != "" {
				if !isValidation(err, tt.wantErrOn) {
					t.Errorf("ApplyDiscount: got %v, want a *ValidationError on %q", err, tt.wantErrOn)
				}
				if saved, _ := repo.Get(t.Context(), id); saved.Status != "issued" {
					t.Errorf("saved invoice after a rejected discount: got status %q, want issued", saved.Status)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyDiscount: got error %v, want nil", err)
			}
			got := [4]any{inv.Discount.Minor, inv.DiscountKind, inv.Status, inv.Tax.Minor}
			want := [4]any{tt.want, tt.wantKind, tt.wantStatus, tt.wantTax}
			if got != want {
				t.Errorf("Discount, DiscountKind, Status, Tax: got %v, want %v", got, want)
			}
			if inv.Total.Minor != tt.subtotal-tt.want+tt.wantTax {
				t.Errorf("Total: got %d, want %d", inv.Total.Minor, tt.subtotal-tt.want+tt.wantTax)
			}
			if saved, _ := repo.Get(t.Context(), id); !cmp.Equal(saved, inv) {
				t.Errorf("saved invoice differs from the one returned:\n%s", cmp.Diff(saved, inv))
			}
		})
	}
}

// TestTypedErrors: callers tell errors apart with errors.Is and errors.AsType,
// not by comparing strings.
func TestTypedErrors(t *testing.T) {
	svc, _ := newService(t, "2026-03-01T10:00:00Z")
	ctx := t.Context()
	_, err := svc.ApplyDiscount(ctx, "MISSING", Percent{BP: 100})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("ApplyDiscount on an unknown id: got %v, want an error wrapping ErrNotFound", err)
	}
	if err != nil && err.Error() != "invoice MISSING: not found" {
		t.Errorf("its message: got %q, want %q (clients still match it)", err.Error(), "invoice MISSING: not found")
	}
	if _, err := svc.Issue(ctx, request("TWICE", item(1, eur(1)))); err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if _, err := svc.Issue(ctx, request("TWICE", item(1, eur(1)))); !isValidation(err, "id") {
		t.Errorf("Issue of an existing id: got %v, want a *ValidationError on id", err)
	}
	_, err = ParseDiscount([]byte(`{"kind":"bogo"}`))
	if ve, ok := errors.AsType[*ValidationError](err); !ok || ve.Reason != `unknown discount kind "bogo"` {
		t.Errorf("ParseDiscount(bogo): got %v, want a *ValidationError with reason %q", err, `unknown discount kind "bogo"`)
	}
	boom := errors.New("disk on fire")
	failing := NewService(failingRepo{boom}, nil, fixedClock(time.Unix(0, 0)), nil)
	if _, err := failing.Issue(ctx, request("X", item(1, eur(1)))); !errors.Is(err, boom) {
		t.Errorf("Issue with a failing repo: got %v, want the repo's error", err)
	}
	if _, err := failing.ApplyDiscount(ctx, "X", Percent{BP: 1}); !errors.Is(err, boom) || errors.Is(err, ErrNotFound) {
		t.Errorf("ApplyDiscount with a failing repo: got %v, want the repo's error, not ErrNotFound", err)
	}
}

type failingRepo struct{ err error }

func (r failingRepo) Get(context.Context, string) (Invoice, error) { return Invoice{}, r.err }
func (r failingRepo) Save(context.Context, Invoice) error          { return r.err }

// captureHandler records slog records.
type captureHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *captureHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *captureHandler) WithGroup(string) slog.Handler            { return h }
func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, b.String())
	return nil
}

// TestLogsToInjectedLogger: Issue logs through the *slog.Logger it was
// given, not a global one.
func TestLogsToInjectedLogger(t *testing.T) {
	h := &captureHandler{}
	svc := NewService(newMemRepo(), nil, fixedClock(mustTime(t, "2026-03-01T10:00:00Z")), slog.New(h))
	if _, err := svc.Issue(t.Context(), request("LOGGED", item(1, eur(1)))); err != nil {
		t.Fatalf("Issue: %v", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.msgs {
		if strings.Contains(m, "id=LOGGED") {
			return
		}
	}
	t.Errorf("records logged: got %q, want one with the attribute id=LOGGED", h.msgs)
}
