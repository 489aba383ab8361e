package testresult

import (
	"strings"
	"testing"
)

func TestOutputLogStaysBoundedAndKeepsTheEnd(t *testing.T) {
	var o outputLog
	o.max = 64 << 10
	line := strings.Repeat("x", 99) + "\n"
	for range 100_000 { // 10 MB through a 64 KiB log
		o.add("TestFlood", line)
	}
	o.add("TestFlood", "panic: the end\n")
	kept := 0
	lines := o.lines()
	for _, l := range lines {
		kept += len(l.text)
	}
	if kept > o.max+o.max/4+200 {
		t.Errorf("kept %d bytes, bound is about %d", kept, o.max+o.max/4)
	}
	if last := lines[len(lines)-1].text; last != "panic: the end\n" {
		t.Errorf("last line %q, want the crash line", last)
	}
	if o.dropped == 0 {
		t.Error("nothing reported dropped")
	}
}

func TestOutputLogJoinsFragments(t *testing.T) {
	var o outputLog
	o.max = 1 << 20
	o.add("BenchmarkX", "BenchmarkX-2   \t")
	o.add("BenchmarkX", "100\t 12 ns/op\n")
	o.add("BenchmarkY", "BenchmarkY\n")
	lines := o.lines()
	if len(lines) != 2 || lines[0].text != "BenchmarkX-2   \t100\t 12 ns/op\n" {
		t.Errorf("lines = %q", lines)
	}
}
