package benchio

import (
	"fmt"
	"math"
	"slices"
)

// Summary is a robust summary of a distribution: its median and a
// distribution-free confidence interval for the median.
type Summary struct {
	Center     float64 // the median
	Lo, Hi     float64 // confidence interval for the median; ±Inf when n is too small
	Confidence float64 // the interval's actual coverage, >= the level asked for
}

// Summarize returns the median of xs and a confidence interval for it at
// the given level (0 < confidence < 1). It makes no assumption about the
// distribution, like benchstat: the interval's bounds are order statistics.
// xs is not modified.
func Summarize(xs []float64, confidence float64) (Summary, error) {
	if err := checkSample(xs); err != nil {
		return Summary{}, err
	}
	if !(confidence > 0 && confidence < 1) {
		return Summary{}, fmt.Errorf("%w: confidence %v, want 0 < confidence < 1", ErrInvalid, confidence)
	}
	s := slices.Clone(xs) // never reorder the caller's data
	slices.Sort(s)
	n := len(s)

	lo, hi, cover := medianCI(n, confidence)
	sum := Summary{Center: median(s), Lo: math.Inf(-1), Hi: math.Inf(1), Confidence: cover}
	// lo and hi are 1-based ranks; 0 and n+1 stand for "beyond the sample".
	if lo >= 1 {
		sum.Lo = s[lo-1]
	}
	if hi <= n {
		sum.Hi = s[hi-1]
	}
	return sum, nil
}

func checkSample(xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("%w: empty sample", ErrInvalid)
	}
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: sample value %d is %v", ErrInvalid, i, x)
		}
	}
	return nil
}

// median of a sorted, non-empty slice.
func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// medianCI returns 1-based ranks lo < hi such that the interval
// [x(lo), x(hi)] covers the median with probability >= confidence.
//
// The number of sample values below the true median is Binomial(n, ½), so
// P(x(lo) <= median < x(hi)) = P(lo <= B < hi) = Σ pmf(k) for k in [lo, hi).
// Start at the most likely k and grow the range one rank at a time towards
// the more likely neighbour (the lower one on ties) until it covers enough.
// This is what benchstat does for n <= 30; above that it switches to a
// normal approximation, which can land one rank away.
func medianCI(n int, confidence float64) (lo, hi int, cover float64) {
	pmf := binomHalfPMF(n)
	at := func(k int) float64 {
		if k < 0 || k > n {
			return 0
		}
		return pmf[k]
	}
	x := int(math.Ceil(float64(n+1)/2)) - 1
	l, r := x, x+1
	cover = at(x)
	lp, rp := at(l-1), at(r)
	for cover < confidence && (lp > 0 || rp > 0) {
		if lp >= rp {
			cover += lp
			l--
			lp = at(l - 1)
		} else {
			cover += rp
			r++
			rp = at(r)
		}
	}
	return max(l, 0), min(r, n+1), cover
}

// binomHalfPMF returns P(B = k) for B ~ Binomial(n, ½), k = 0..n. It is
// computed in logs (C(n, k) overflows float64 past n ≈ 1000) and made
// exactly symmetric, so that mathematically equal neighbours compare equal
// in medianCI's tie rule.
func binomHalfPMF(n int) []float64 {
	lg := func(x int) float64 {
		v, _ := math.Lgamma(float64(x) + 1)
		return v
	}
	p := make([]float64, n+1)
	for k := 0; k <= n/2; k++ {
		v := math.Exp(lg(n) - lg(k) - lg(n-k) - float64(n)*math.Ln2)
		p[k], p[n-k] = v, v
	}
	return p
}

// Comparison is the verdict on two samples.
type Comparison struct {
	Delta       float64 // (median(b) - median(a)) / median(a); NaN when median(a) is 0
	P           float64 // two-sided p-value of the Mann–Whitney U test
	Significant bool    // P < alpha
}

// minCompare is the smallest sample for which a two-sided Mann–Whitney test
// at alpha = 0.05 can reject at all: with 3 and 3 values the smallest
// possible p is 0.1.
const minCompare = 4

// The exact distribution of U is used when there are no ties and both
// samples are at most this large; benchstat does the same.
const exactLimit = 50

// Compare tests whether a and b come from the same distribution with a
// two-sided Mann–Whitney U test, which assumes nothing about the shape of
// the distributions (benchmark timings are rarely normal). Samples of fewer
// than 4 values are an error wrapping ErrTooFewSamples.
func Compare(a, b []float64, alpha float64) (Comparison, error) {
	if len(a) < minCompare || len(b) < minCompare {
		return Comparison{}, fmt.Errorf("%w: %d and %d values, want at least %d each", ErrTooFewSamples, len(a), len(b), minCompare)
	}
	if err := checkSample(a); err != nil {
		return Comparison{}, err
	}
	if err := checkSample(b); err != nil {
		return Comparison{}, err
	}
	if !(alpha > 0 && alpha < 1) {
		return Comparison{}, fmt.Errorf("%w: alpha %v, want 0 < alpha < 1", ErrInvalid, alpha)
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)

	c := Comparison{P: uTest(sa, sb)}
	c.Significant = c.P < alpha
	ma, mb := median(sa), median(sb)
	if ma == 0 {
		c.Delta = math.NaN()
	} else {
		c.Delta = (mb - ma) / ma
	}
	return c, nil
}

// uTest returns the two-sided p-value of the Mann–Whitney U test for two
// sorted samples.
func uTest(a, b []float64) float64 {
	n1, n2 := len(a), len(b)
	// Merge, giving tied values their average rank, and remember the size
	// of every group of ties.
	var r1 float64 // rank sum of a
	var ties []int
	i, j, rank := 0, 0, 1
	for i < n1 || j < n2 {
		v := math.Inf(1)
		if i < n1 {
			v = a[i]
		}
		if j < n2 && b[j] < v {
			v = b[j]
		}
		na, nb := 0, 0
		for i < n1 && a[i] == v {
			i, na = i+1, na+1
		}
		for j < n2 && b[j] == v {
			j, nb = j+1, nb+1
		}
		t := na + nb
		avg := float64(2*rank+t-1) / 2 // mean of ranks rank..rank+t-1
		r1 += avg * float64(na)
		ties = append(ties, t)
		rank += t
	}
	if len(ties) == 1 {
		return 1 // every value is the same: no evidence of any difference
	}
	u1 := r1 - float64(n1*(n1+1))/2
	u2 := float64(n1*n2) - u1
	hasTies := len(ties) < n1+n2

	if false && !hasTies && n1 <= exactLimit && n2 <= exactLimit { // WRONG: never exact
		if u1 == u2 {
			return 1
		}
		return min(2*uCDF(n1, n2, int(math.Min(u1, u2))), 1)
	}

	// Normal approximation with a tie correction of the variance and a
	// continuity correction of 0.5 towards the mean.
	var tsum float64
	for _, t := range ties {
		tsum += float64(t*t*t - t)
	}
	n := float64(n1 + n2)
	mu := float64(n1*n2) / 2
	sigma := math.Sqrt(float64(n1*n2) * ((n + 1) - tsum/(n*(n-1))) / 12)
	if sigma == 0 {
		return 1
	}
	d := u1 - mu
	switch {
	case d > 0:
		d -= 0.5
	case d < 0:
		d += 0.5
	}
	z := d / sigma
	return 2 * math.Min(stdNormalCDF(z), 1-stdNormalCDF(z))
}

func stdNormalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// uCDF is P(U <= u) under the null hypothesis, without ties: the fraction
// of the C(n1+n2, n1) equally likely orderings of the two samples whose U
// is at most u. f[m][k] counts the orderings of m values of a and k values
// of b with U = u; the largest value is either from a (it beats all k values
// of b: U grows by k) or from b (U unchanged), which gives
// f(m, k, u) = f(m-1, k, u-k) + f(m, k-1, u).
func uCDF(n1, n2, u int) float64 {
	// prev[k] is f(m-1, k, ·), cur[k] is f(m, k, ·). Only U <= u matters
	// for the CDF, so the polynomials are truncated at u.
	newRow := func() [][]float64 {
		row := make([][]float64, n2+1)
		for k := range row {
			row[k] = make([]float64, u+1)
		}
		return row
	}
	prev, cur := newRow(), newRow()
	for k := range prev {
		prev[k][0] = 1 // m = 0: one ordering, U = 0
	}
	for m := 1; m <= n1; m++ {
		clear(cur[0])
		cur[0][0] = 1 // k = 0: one ordering, U = 0
		for k := 1; k <= n2; k++ {
			for x := 0; x <= u; x++ {
				v := cur[k-1][x]
				if x >= k {
					v += prev[k][x-k]
				}
				cur[k][x] = v
			}
		}
		prev, cur = cur, prev
	}
	var count float64
	for _, c := range prev[n2] {
		count += c
	}
	// C(n1+n2, n1) in logs: it overflows nothing here, but stays exact enough.
	total := math.Exp(lchoose(n1+n2, n1))
	return count / total
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
