package billing

import "errors"

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("billing: not implemented")

// ErrNotFound is returned (wrapped) when an invoice does not exist. Its
// message is the legacy one: "invoice <id>: not found" once wrapped.
var ErrNotFound = errors.New("not found")

// ValidationError reports bad input: which field, and what is wrong with
// it. Its message is the one the legacy code returned, which clients match:
// "validation: <field>: <reason>".
type ValidationError struct {
	Field  string // e.g. "currency", "lines[2].qty", "tiers[1].bp"
	Reason string // e.g. "must be positive"
}

func (e *ValidationError) Error() string {
	// TODO(d07)
	return ""
}

// FXError reports a failure of the exchange-rate service. Its message is
// the legacy one: "fx: status 500" for a bad status, "fx: <cause>" when
// there is a cause.
type FXError struct {
	Status int   // the HTTP status; 0 when no response arrived
	Err    error // the cause; nil for a bad status
}

func (e *FXError) Error() string {
	// TODO(d07)
	return ""
}

// Unwrap returns the cause, so that errors.Is(err, context.DeadlineExceeded)
// sees through an FXError.
func (e *FXError) Unwrap() error {
	// TODO(d07)
	return nil
}
