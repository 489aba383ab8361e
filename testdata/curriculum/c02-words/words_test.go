package words

import "testing"

func TestWords(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a": 1, " a  b ": 2, "a\u00a0b": 2} {
		if got := Words(in); got != want {
			t.Errorf("Words(%q): got %d, want %d", in, got, want)
		}
	}
}

func BenchmarkWords(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Words("the quick brown fox")
	}
}
