package billing

// Money is an amount in minor units (cents) of a currency.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"` // ISO 4217: three upper-case letters
}

// MarshalJSON writes money the way the legacy code did.
func (m Money) MarshalJSON() ([]byte, error) {
	// TODO(d07): run TestGolden and look at what the legacy wrote. It built
	// money as a map[string]interface{}; encoding/json sorts map keys and
	// writes struct fields in declaration order.
	return nil, ErrNotImplemented
}
