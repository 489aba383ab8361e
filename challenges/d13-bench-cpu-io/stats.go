package benchio

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
	// TODO
	return Summary{}, ErrNotImplemented
}

// Comparison is the verdict on two samples.
type Comparison struct {
	Delta       float64 // (median(b) - median(a)) / median(a); NaN when median(a) is 0
	P           float64 // two-sided p-value of the Mann–Whitney U test
	Significant bool    // P < alpha
}

// Compare tests whether a and b come from the same distribution with a
// two-sided Mann–Whitney U test, which assumes nothing about the shape of
// the distributions (benchmark timings are rarely normal). Samples of fewer
// than 4 values are an error wrapping ErrTooFewSamples.
func Compare(a, b []float64, alpha float64) (Comparison, error) {
	// TODO
	return Comparison{}, ErrNotImplemented
}
