package billing

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned (wrapped) when an invoice does not exist.
var ErrNotFound = errors.New("not found")

// ValidationError reports bad input: which field, and what is wrong with
// it. Its message is the one the legacy code returned, which clients match.
type ValidationError struct {
	Field  string // e.g. "currency", "lines[2].qty", "tiers[1].bp"
	Reason string // e.g. "must be positive"
}

func (e *ValidationError) Error() string { return "validation: " + e.Field + ": " + e.Reason }

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

func invalidf(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// FXError reports a failure of the exchange-rate service.
type FXError struct {
	Status int   // the HTTP status; 0 when no response arrived
	Err    error // the cause; nil for a bad status
}

func (e *FXError) Error() string {
	if e.Err != nil {
		return "fx: " + e.Err.Error()
	}
	return fmt.Sprintf("fx: status %d", e.Status)
}

func (e *FXError) Unwrap() error { return e.Err }
