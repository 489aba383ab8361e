package billing

import (
	"encoding/json"
	"math"
	"math/bits"
)

// Money is an amount in minor units (cents) of a currency.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"` // ISO 4217: three upper-case letters
}

// MarshalJSON writes {"currency":"EUR","minor":1234}: the legacy code built
// money as a map, and encoding/json sorts map keys, so clients have always
// seen currency first.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Currency string `json:"currency"`
		Minor    int64  `json:"minor"`
	}{m.Currency, m.Minor})
}

// mulDiv returns a*b/c rounded half up, for a, b >= 0 and c > 0, and false
// if the result does not fit in an int64. The product is computed in 128
// bits, so a*b may overflow where the result does not.
func mulDiv(a, b, c int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	lo, carry := bits.Add64(lo, uint64(c/2), 0)
	hi += carry
	if hi >= uint64(c) {
		return 0, false // the quotient needs more than 64 bits
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > math.MaxInt64 {
		return 0, false
	}
	return int64(q), true
}

// add returns a+b for a, b >= 0, and false on overflow.
func add(a, b int64) (int64, bool) {
	s := a + b
	return s, s >= a
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
