package di

import "testing"

func TestResolve(t *testing.T) {
	c := New()
	if _, err := Resolve[int](t.Context(), c); err != nil {
		t.Fatal(err)
	}
}
