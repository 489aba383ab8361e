package undo

import (
	"errors"
	"testing"
)

func TestDocument(t *testing.T) {
	var d Document
	if got := d.Len(); got != 0 {
		t.Fatalf("zero Document: got Len %d, want 0", got)
	}
	steps := []struct {
		name    string
		op      func() error
		want    string
		wantErr error
	}{
		{"insert into empty", func() error { return d.Insert(0, "héllo") }, "héllo", nil},
		{"append", func() error { return d.Insert(5, " wörld") }, "héllo wörld", nil},
		{"insert an emoji after h", func() error { return d.Insert(1, "🙂") }, "h🙂éllo wörld", nil},
		{"insert nothing", func() error { return d.Insert(3, "") }, "h🙂éllo wörld", nil},
		{"insert at -1", func() error { return d.Insert(-1, "x") }, "h🙂éllo wörld", ErrOutOfRange},
		{"insert past the end", func() error { return d.Insert(13, "x") }, "h🙂éllo wörld", ErrOutOfRange},
		{"insert invalid UTF-8", func() error { return d.Insert(0, "a\xffb") }, "h🙂éllo wörld", ErrInvalid},
		{"delete the emoji and é", func() error {
			s, err := d.Delete(1, 2)
			if err == nil && s != "🙂é" {
				t.Errorf("Delete(1, 2): got %q, want %q", s, "🙂é")
			}
			return err
		}, "hllo wörld", nil},
		{"delete nothing at the end", func() error { _, err := d.Delete(10, 0); return err }, "hllo wörld", nil},
		{"delete past the end", func() error { _, err := d.Delete(8, 3); return err }, "hllo wörld", ErrOutOfRange},
		{"delete at -1", func() error { _, err := d.Delete(-1, 1); return err }, "hllo wörld", ErrOutOfRange},
		{"delete a negative count", func() error { _, err := d.Delete(2, -1); return err }, "hllo wörld", ErrOutOfRange},
		{"delete everything", func() error { _, err := d.Delete(0, 10); return err }, "", nil},
	}
	for _, s := range steps {
		err := s.op()
		switch {
		case s.wantErr == nil && err != nil:
			t.Errorf("%s: got error %v, want nil", s.name, err)
		case s.wantErr != nil && !errors.Is(err, s.wantErr):
			t.Errorf("%s: got error %v, want %v", s.name, err, s.wantErr)
		}
		if got := d.String(); got != s.want {
			t.Errorf("%s: got text %q, want %q", s.name, got, s.want)
		}
		if got, want := d.Len(), runeLen(s.want); got != want {
			t.Errorf("%s: got Len %d, want %d", s.name, got, want)
		}
	}
}

// TestCommandsReturnInverses applies each built-in command and then its
// inverse, directly on a Document.
func TestCommandsReturnInverses(t *testing.T) {
	tests := []struct {
		name      string
		start     string
		cmd       Command
		wantName  string
		wantAfter string
		wantErr   error
	}{
		{"insert", "wörld", Insert(0, "héllo "), "insert", "héllo wörld", nil},
		{"insert at the end", "ab", Insert(2, "ç"), "insert", "abç", nil},
		{"insert out of range", "ab", Insert(3, "x"), "insert", "ab", ErrOutOfRange},
		{"delete", "héllo wörld", Delete(1, 4), "delete", "h wörld", nil},
		{"delete out of range", "abc", Delete(2, 2), "delete", "abc", ErrOutOfRange},
		{"macro", "line one\nline two", Macro("indent", Insert(0, "  "), Insert(11, "  ")), "macro", "  line one\n  line two", nil},
		{"nested macro", "b", Macro("outer", Insert(0, "a"), Macro("inner", Insert(2, "c"), Delete(0, 1))), "macro", "bc", nil},
		{"failing macro rolls back", "abc", Macro("bad", Insert(0, "x"), Delete(0, 2), Delete(5, 1)), "macro", "abc", ErrOutOfRange},
		{"failing nested macro rolls back", "abc", Macro("bad", Delete(0, 1), Macro("inner", Insert(0, "z"), Insert(9, "z"))), "macro", "abc", ErrOutOfRange},
		{"macro with a nil step", "abc", Macro("nil", Insert(0, "x"), nil), "macro", "abc", ErrInvalid},
		{"empty macro", "abc", Macro("nothing"), "macro", "abc", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cmd.Name(); got != tt.wantName {
				t.Errorf("Name(): got %q, want %q", got, tt.wantName)
			}
			var d Document
			if err := d.Insert(0, tt.start); err != nil {
				t.Fatalf("Insert(0, %q): got error %v, want nil", tt.start, err)
			}
			inv, err := tt.cmd.Apply(&d)
			if got := d.String(); got != tt.wantAfter {
				t.Errorf("after Apply: got %q, want %q", got, tt.wantAfter)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Apply: got error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || inv == nil {
				t.Fatalf("Apply: got (%v, %v), want an inverse and no error", inv, err)
			}
			again, err := inv.Apply(&d)
			if err != nil || again == nil {
				t.Fatalf("inverse Apply: got (%v, %v), want an inverse and no error", again, err)
			}
			if got := d.String(); got != tt.start {
				t.Errorf("after the inverse: got %q, want %q", got, tt.start)
			}
			// The inverse of the inverse redoes the change.
			if _, err := again.Apply(&d); err != nil {
				t.Fatalf("inverse of the inverse: got error %v, want nil", err)
			}
			if got := d.String(); got != tt.wantAfter {
				t.Errorf("after the inverse of the inverse: got %q, want %q", got, tt.wantAfter)
			}
		})
	}
}
