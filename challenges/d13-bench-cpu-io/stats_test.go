package benchio

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

func ExampleSummarize() {
	ns := []float64{102, 99, 101, 250, 98, 100, 103, 97, 100}
	s, err := Summarize(ns, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("median %v, 95%% CI [%v, %v]\n", s.Center, s.Lo, s.Hi)
	// Output: median 100, 95% CI [98, 103]
}

// tstMedian is the plain definition: the middle value, or the mean of the
// two middle values.
func tstMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// tstAt returns the r-th order statistic (1-based) of sorted, with 0 and
// n+1 standing for -Inf and +Inf.
func tstAt(sorted []float64, r int) float64 {
	switch {
	case r <= 0:
		return math.Inf(-1)
	case r > len(sorted):
		return math.Inf(1)
	}
	return sorted[r-1]
}

func tstCheckSummary(t *testing.T, tc tstSummaryCase) {
	t.Helper()
	xs := tstValues(tc.Seed, tc.N, tc.Tied, 0)
	orig := slices.Clone(xs)
	got, err := Summarize(xs, tc.Confidence)
	if err != nil {
		t.Fatalf("Summarize(%d values, %v): got error %v, want nil", tc.N, tc.Confidence, err)
	}
	if !slices.Equal(xs, orig) {
		t.Errorf("Summarize reordered or changed its input: callers keep using their data")
	}
	if got.Center != tc.Center {
		t.Errorf("Center: got %v, want %v (the median)", got.Center, tc.Center)
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)

	// Acceptable rank pairs for the interval [x(lo), x(hi)].
	type ranks struct{ lo, hi int }
	ok := []ranks{{tc.LoRank, tc.HiRank}}
	if tc.N <= 30 {
		// benchstat's exact binomial rule. When the interval is off-centre
		// by one rank, its mirror image has exactly the same coverage and
		// which one wins depends on rounding: both are accepted.
		switch tc.LoRank + tc.HiRank {
		case tc.N:
			ok = append(ok, ranks{tc.LoRank + 1, tc.HiRank + 1})
		case tc.N + 2:
			ok = append(ok, ranks{tc.LoRank - 1, tc.HiRank - 1})
		}
		if math.Abs(got.Confidence-tc.Cover) > 1e-9 {
			t.Errorf("Confidence (actual coverage): got %v, want %v", got.Confidence, tc.Cover)
		}
	} else {
		// benchstat switches to a normal approximation above 30 values,
		// which can land one rank away from the exact rule.
		for dl := -1; dl <= 1; dl++ {
			for dh := -1; dh <= 1; dh++ {
				if dl != 0 || dh != 0 {
					ok = append(ok, ranks{tc.LoRank + dl, tc.HiRank + dh})
				}
			}
		}
		if got.Confidence < tc.Confidence || got.Confidence > 1 {
			t.Errorf("Confidence (actual coverage): got %v, want in [%v, 1]", got.Confidence, tc.Confidence)
		}
	}
	for _, r := range ok {
		if got.Lo == tstAt(sorted, r.lo) && got.Hi == tstAt(sorted, r.hi) {
			return
		}
	}
	t.Errorf("interval: got [%v, %v], want [%v, %v] (order statistics %d and %d of %d; benchstat gives [%v, %v])",
		got.Lo, got.Hi, tstAt(sorted, tc.LoRank), tstAt(sorted, tc.HiRank), tc.LoRank, tc.HiRank, tc.N, tc.Lo, tc.Hi)
}

func TestSummarizeMatchesBenchstat(t *testing.T) {
	for i, tc := range tstSummaryOracle {
		t.Run(fmt.Sprintf("%02d/n=%d/conf=%v", i, tc.N, tc.Confidence), func(t *testing.T) {
			tstCheckSummary(t, tc)
		})
	}
}

func TestSummarizeSmallSamples(t *testing.T) {
	tests := []struct {
		xs             []float64
		conf           float64
		center, lo, hi float64
	}{
		{[]float64{7}, 0.95, 7, math.Inf(-1), math.Inf(1)},
		{[]float64{3, 1}, 0.95, 2, math.Inf(-1), math.Inf(1)},
		{[]float64{5, 1, 4, 2, 3}, 0.5, 3, 2, 4},
		{[]float64{4, 1, 3, 2, 6, 5}, 0.95, 3.5, 1, 6},
		{[]float64{4, 1, 3, 2, 6, 5}, 0.99, 3.5, math.Inf(-1), math.Inf(1)},
		{[]float64{2, 2, 2, 2, 2, 2, 2, 2}, 0.95, 2, 2, 2},
	}
	for _, tt := range tests {
		got, err := Summarize(tt.xs, tt.conf)
		if err != nil {
			t.Errorf("Summarize(%v, %v): got error %v, want nil", tt.xs, tt.conf, err)
			continue
		}
		if got.Center != tt.center || got.Lo != tt.lo || got.Hi != tt.hi {
			t.Errorf("Summarize(%v, %v): got median %v in [%v, %v], want %v in [%v, %v]",
				tt.xs, tt.conf, got.Center, got.Lo, got.Hi, tt.center, tt.lo, tt.hi)
		}
	}
}

func TestSummarizeBadInput(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		conf float64
	}{
		{"nil sample", nil, 0.95},
		{"empty sample", []float64{}, 0.95},
		{"NaN value", []float64{1, math.NaN(), 3}, 0.95},
		{"infinite value", []float64{1, math.Inf(1), 3}, 0.95},
		{"confidence 0", []float64{1, 2, 3}, 0},
		{"confidence 1", []float64{1, 2, 3}, 1},
		{"confidence 95", []float64{1, 2, 3}, 95},
		{"negative confidence", []float64{1, 2, 3}, -0.5},
		{"NaN confidence", []float64{1, 2, 3}, math.NaN()},
	}
	for _, tt := range tests {
		if _, err := Summarize(tt.xs, tt.conf); !errors.Is(err, ErrInvalid) {
			t.Errorf("Summarize with %s: got error %v, want one wrapping ErrInvalid", tt.name, err)
		}
	}
}

func tstCheckCompare(t *testing.T, tc tstCompareCase) {
	t.Helper()
	a := tstValues(tc.SeedA, tc.N1, tc.Tied, 0)
	b := tstValues(tc.SeedB, tc.N2, tc.Tied, tc.Shift)
	origA, origB := slices.Clone(a), slices.Clone(b)
	const alpha = 0.05
	got, err := Compare(a, b, alpha)
	if err != nil {
		t.Fatalf("Compare(%d values, %d values): got error %v, want nil", tc.N1, tc.N2, err)
	}
	if !slices.Equal(a, origA) || !slices.Equal(b, origB) {
		t.Errorf("Compare reordered or changed its input")
	}
	if math.Abs(got.P-tc.P) > 0.01 {
		t.Errorf("P: got %.6f, want %.6f (±0.01, benchstat's Mann–Whitney U test)", got.P, tc.P)
	}
	if want := tc.P < alpha; got.Significant != want && math.Abs(tc.P-alpha) > 1e-6 {
		t.Errorf("Significant: got %v, want %v (benchstat's p = %.6f, alpha %v)", got.Significant, want, tc.P, alpha)
	}
	ma, mb := tstMedian(a), tstMedian(b)
	if want := (mb - ma) / ma; math.Abs(got.Delta-want) > 1e-12 {
		t.Errorf("Delta: got %v, want %v = (median(b) - median(a)) / median(a)", got.Delta, want)
	}
}

func TestCompareMatchesBenchstat(t *testing.T) {
	for i, tc := range tstCompareOracle {
		name := fmt.Sprintf("%03d/n=%d,%d", i, tc.N1, tc.N2)
		if tc.Tied {
			name += "/ties"
		}
		t.Run(name, func(t *testing.T) { tstCheckCompare(t, tc) })
	}
}

func TestCompareBasics(t *testing.T) {
	lo := []float64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
	hi := []float64{20, 21, 22, 23, 24, 25, 26, 27, 28, 29}

	c, err := Compare(lo, hi, 0.05)
	if err != nil {
		t.Fatalf("Compare(lo, hi): got error %v, want nil", err)
	}
	// Complete separation: only 2 of the C(20, 10) = 184756 orderings are
	// this extreme (either way round), so p = 2/184756.
	if want := 2.0 / 184756; math.Abs(c.P-want) > 1e-9 {
		t.Errorf("Compare(lo, hi).P: got %g, want %g (exact two-sided p for complete separation)", c.P, want)
	}
	if !c.Significant {
		t.Errorf("Compare(lo, hi).Significant: got false, want true")
	}
	if want := (24.5 - 14.5) / 14.5; math.Abs(c.Delta-want) > 1e-12 {
		t.Errorf("Compare(lo, hi).Delta: got %v, want %v", c.Delta, want)
	}
	r, err := Compare(hi, lo, 0.05)
	if err != nil {
		t.Fatalf("Compare(hi, lo): got error %v, want nil", err)
	}
	if math.Abs(r.P-c.P) > 1e-12 || r.Delta >= 0 {
		t.Errorf("Compare(hi, lo): got P %g and Delta %v, want the same P as Compare(lo, hi) (%g) and a negative Delta", r.P, r.Delta, c.P)
	}

	same := []float64{5, 5, 5, 5, 5}
	s, err := Compare(same, same, 0.05)
	if err != nil {
		t.Fatalf("Compare of two constant samples: got error %v, want nil", err)
	}
	if s.P != 1 || s.Significant || s.Delta != 0 {
		t.Errorf("Compare of two identical constant samples: got %+v, want P 1, not significant, Delta 0", s)
	}

	// Interleaved, no ties: U1 == U2, no evidence either way.
	even, err := Compare([]float64{1, 4, 5, 8}, []float64{2, 3, 6, 7}, 0.05)
	if err != nil {
		t.Fatalf("Compare of interleaved samples: got error %v, want nil", err)
	}
	if even.P != 1 || even.Significant {
		t.Errorf("Compare([1 4 5 8], [2 3 6 7]): got P %v, significant %v; want P 1, not significant", even.P, even.Significant)
	}

	zero, err := Compare([]float64{0, 0, 0, 0}, []float64{1, 2, 3, 4}, 0.05)
	if err != nil {
		t.Fatalf("Compare with a zero baseline median: got error %v, want nil", err)
	}
	if !math.IsNaN(zero.Delta) {
		t.Errorf("Compare with a zero baseline median: got Delta %v, want NaN", zero.Delta)
	}
}

func TestCompareBadInput(t *testing.T) {
	four := []float64{1, 2, 3, 4}
	if _, err := Compare([]float64{1, 2, 3}, four, 0.05); !errors.Is(err, ErrTooFewSamples) {
		t.Errorf("Compare with 3 and 4 values: got error %v, want one wrapping ErrTooFewSamples", err)
	}
	if _, err := Compare(four, []float64{1, 2, 3}, 0.05); !errors.Is(err, ErrTooFewSamples) {
		t.Errorf("Compare with 4 and 3 values: got error %v, want one wrapping ErrTooFewSamples", err)
	}
	if _, err := Compare(nil, nil, 0.05); !errors.Is(err, ErrTooFewSamples) {
		t.Errorf("Compare(nil, nil): got error %v, want one wrapping ErrTooFewSamples", err)
	}
	bad := []struct {
		name  string
		a, b  []float64
		alpha float64
	}{
		{"NaN in a", []float64{1, 2, math.NaN(), 4}, four, 0.05},
		{"Inf in b", four, []float64{1, 2, 3, math.Inf(-1)}, 0.05},
		{"alpha 0", four, four, 0},
		{"alpha 1", four, four, 1},
		{"alpha NaN", four, four, math.NaN()},
	}
	for _, tt := range bad {
		if _, err := Compare(tt.a, tt.b, tt.alpha); !errors.Is(err, ErrInvalid) {
			t.Errorf("Compare with %s: got error %v, want one wrapping ErrInvalid", tt.name, err)
		}
	}
}
