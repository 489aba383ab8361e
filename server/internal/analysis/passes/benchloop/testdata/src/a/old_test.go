//go:build go1.22

package a

import "testing"

// This file's Go version predates b.Loop: nothing to suggest.
func BenchmarkOld(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Parse("old")
	}
}
