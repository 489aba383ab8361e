package a

// This file does not import errors: report, but offer no fix.

func noImport(err error) bool {
	return err != ErrNotFound // want `use !errors.Is\(err, ErrNotFound\)`
}
