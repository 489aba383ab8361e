package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"curriculum.dev/challenges/d07-legacy-refactor/legacy"
)

// memRepo is the in-memory InvoiceRepo of the tests (and the benchmark).
type memRepo struct {
	mu   sync.Mutex
	invs map[string]Invoice
}

func newMemRepo() *memRepo { return &memRepo{invs: map[string]Invoice{}} }

func (r *memRepo) Get(_ context.Context, id string) (Invoice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	inv, ok := r.invs[id]
	if !ok {
		return Invoice{}, ErrNotFound
	}
	return inv, nil
}

func (r *memRepo) Save(_ context.Context, inv Invoice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invs[inv.ID] = inv
	return nil
}

// fixedClock returns a clock stopped at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	return tm
}

// fxRates is the exchange-rate table of the tests' FX server. From XXX it
// answers 500, from ZZZ a rate with a zero denominator, and 404 for pairs
// it does not know.
var fxRates = map[string][2]int64{
	"USD/EUR": {92, 100},
	"GBP/EUR": {117, 100},
	"JPY/EUR": {61, 10000},
	"CHF/EUR": {104, 100},
	"EUR/USD": {109, 100},
	"EUR/GBP": {85, 100},
	"GBP/USD": {127, 100},
	"EUR/JPY": {16350, 100},
	"USD/JPY": {15012, 100},
}

// fxHandler serves GET /rate?from=USD&to=EUR.
func fxHandler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/rate" || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	switch from {
	case "XXX":
		http.Error(w, "upstream down", http.StatusInternalServerError)
		return
	case "ZZZ":
		fmt.Fprint(w, `{"num": 1, "den": 0}`)
		return
	}
	rate, ok := fxRates[from+"/"+to]
	if !ok {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, `{"num": %d, "den": %d}`, rate[0], rate[1])
}

func newFXServer(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(fxHandler))
	t.Cleanup(srv.Close)
	return srv
}

// scenario is one recorded characterisation case of testdata/golden.json:
// steps run in order against one store, and want holds the JSON the legacy
// code returned for each, byte for byte.
type scenario struct {
	Name  string   `json:"name"`
	Now   string   `json:"now"`
	Steps []step   `json:"steps"`
	Want  []string `json:"want"`
}

// step is one of: issue an invoice, apply a discount to one, get one.
type step struct {
	Issue    json.RawMessage `json:"issue,omitempty"`
	ID       string          `json:"id,omitempty"`
	Discount json.RawMessage `json:"discount,omitempty"`
	Get      string          `json:"get,omitempty"`
}

func loadScenarios(t testing.TB) []scenario {
	t.Helper()
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var scs []scenario
	if err := json.Unmarshal(data, &scs); err != nil {
		t.Fatalf("testdata/golden.json: %v", err)
	}
	return scs
}

// render is what the HTTP layer sends back: the invoice, or the error's
// message.
func render(v any, err error) string {
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("json.Marshal: %v", err)
	}
	return string(b)
}

// runLegacy plays a scenario against package legacy. Not safe for
// concurrent use: legacy is one big global.
func runLegacy(t testing.TB, sc scenario) []string {
	t.Helper()
	var out []string
	for i, st := range sc.Steps {
		switch {
		case st.Issue != nil:
			var req map[string]interface{}
			if err := json.Unmarshal(st.Issue, &req); err != nil {
				t.Fatalf("%s step %d: %v", sc.Name, i, err)
			}
			req["_now"] = sc.Now
			out = append(out, renderLegacy(legacy.Issue(req)))
		case st.Discount != nil:
			var d map[string]interface{}
			if err := json.Unmarshal(st.Discount, &d); err != nil {
				t.Fatalf("%s step %d: %v", sc.Name, i, err)
			}
			out = append(out, renderLegacy(legacy.ApplyDiscount(st.ID, d)))
		case st.Get != "":
			out = append(out, renderLegacy(legacy.Get(st.Get)))
		default:
			t.Fatalf("%s step %d: empty step", sc.Name, i)
		}
	}
	return out
}

func renderLegacy(inv map[string]interface{}, err error) string {
	if err != nil {
		return render(nil, err)
	}
	return legacy.ToJSON(inv)
}

// runService plays a scenario against a Service whose clock is stopped at
// the scenario's time.
func runService(t testing.TB, sc scenario, repo *memRepo, fx FXRates) []string {
	t.Helper()
	svc := NewService(repo, fx, fixedClock(mustTime(t, sc.Now)), nil)
	ctx := context.Background()
	var out []string
	for i, st := range sc.Steps {
		switch {
		case st.Issue != nil:
			var req IssueRequest
			if err := json.Unmarshal(st.Issue, &req); err != nil {
				t.Fatalf("%s step %d: %v", sc.Name, i, err)
			}
			out = append(out, render(svc.Issue(ctx, req)))
		case st.Discount != nil:
			d, err := ParseDiscount(st.Discount)
			if err != nil {
				out = append(out, render(nil, err))
				continue
			}
			out = append(out, render(svc.ApplyDiscount(ctx, st.ID, d)))
		case st.Get != "":
			out = append(out, render(repo.Get(ctx, st.Get)))
		default:
			t.Fatalf("%s step %d: empty step", sc.Name, i)
		}
	}
	return out
}
