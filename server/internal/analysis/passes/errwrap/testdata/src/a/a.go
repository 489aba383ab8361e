package a

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

var ErrNotFound = errors.New("not found")

var errBusy = &busyError{}

type busyError struct{}

func (*busyError) Error() string { return "busy" }

// Positives: fmt.Errorf.

func open(name string) error {
	_, err := os.Open(name)
	return fmt.Errorf("open %s: %v", name, err) // want `fmt.Errorf formats the error err with %v, which cuts it out of the error chain: use %w so callers can still match it with errors.Is and errors.As`
}

func read(err error) error {
	return fmt.Errorf("read: %s", err) // want `fmt.Errorf formats the error err with %s`
}

func closeAfterWrite(werr, cerr error) error {
	return fmt.Errorf("write: %v (close: %v)", werr, cerr) // want `fmt.Errorf formats the error werr, cerr with %v`
}

func concrete(pe *os.PathError) error {
	return fmt.Errorf("stat: %v", pe) // want `formats the error pe with %v`
}

func raw(err error) error {
	return fmt.Errorf(`load "config": %v`, err) // want `formats the error err with %v`
}

func escaped(n int, err error) error {
	return fmt.Errorf("say \"%d\"\t%v", n, err) // want `formats the error err with %v`
}

const loadFormat = "load: %v"

func constFormat(err error) error {
	return fmt.Errorf(loadFormat, err) // want `formats the error err with %v`
}

// Positives: comparisons.

func find(err error) bool {
	return err == ErrNotFound // want `comparing errors with == misses ErrNotFound once it is wrapped: use errors.Is\(err, ErrNotFound\)`
}

func missing(err error) bool {
	if err != ErrNotFound { // want `comparing errors with != misses ErrNotFound once it is wrapped: use !errors.Is\(err, ErrNotFound\)`
		return false
	}
	return true
}

func reversed(err error) bool {
	return ErrNotFound == err // want `use errors.Is\(err, ErrNotFound\)`
}

func qualified(err error) bool {
	return err == os.ErrNotExist || err == errBusy // want `use errors.Is\(err, os.ErrNotExist\)` `use errors.Is\(err, errBusy\)`
}

// Negatives.

func wraps(err error) error {
	return fmt.Errorf("open: %w", err)
}

func wrapsOne(werr, cerr error) error {
	return fmt.Errorf("write: %w (close: %v)", werr, cerr) // a deliberate choice: only werr is part of the API
}

func text(err error) error {
	return fmt.Errorf("remote said %s", err.Error()) // a string, not an error
}

func quoted(err error) error {
	return fmt.Errorf("bad input %q", err) // another verb: formatting is the point
}

func plusV(err error) error {
	return fmt.Errorf("trace: %+v", err)
}

func notErrors(code int, v any) error {
	return fmt.Errorf("status %d: %v", code, v)
}

func indexed(err error) error {
	return fmt.Errorf("%[1]v: %[1]v", err) // explicit indexes: left alone
}

func dynamic(format string, err error) error {
	return fmt.Errorf(format, err) // not a constant format
}

func nilCheck(err error) bool {
	return err == nil || nil != err
}

func eof(r io.Reader, buf []byte) bool {
	_, err := r.Read(buf)
	return err == io.EOF // io.Reader's documented contract
}

type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprint(e.code) }

// Is is the hook errors.Is calls: identity is the job here.
func (e *codeError) Is(target error) bool { return target == ErrNotFound && e.code == 404 }

func sameErr(a, b error) bool {
	return a == b // neither is a sentinel
}

func sentinels() bool {
	return ErrNotFound == os.ErrNotExist // two sentinels
}

func concreteCompare(e *busyError) bool {
	return e == errBusy // a pointer comparison, not an interface
}

var errTimeout = fmt.Errorf("job timeout: %w", context.DeadlineExceeded)

func exact(ctx context.Context) bool {
	// Both return the sentinel itself, never a wrapper.
	return ctx.Err() == context.Canceled || context.Cause(ctx) == errTimeout
}
