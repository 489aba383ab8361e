package testresult

import (
	"strconv"
	"strings"
)

// outputLog keeps a run's output in order, bounded: the first max bytes,
// then only the last max/4 bytes of whatever follows, so memory stays flat
// while a flood scrolls by and the crash report that usually ends a bad run
// is still there.
type outputLog struct {
	max     int
	size    int
	head    []logLine
	tail    []logLine // ring of the most recent lines once head is full
	tailLen int
	dropped int // lines neither in head nor in tail
	full    bool
}

type logLine struct {
	test string
	text string
}

func (o *outputLog) add(test, text string) {
	const maxLine = 64 << 10
	// test2json flushes partial lines (a benchmark prints its name, then
	// its result when timing ends): glue a fragment to its line.
	if last := o.last(); last != nil && last.test == test && !strings.HasSuffix(last.text, "\n") && len(last.text) < maxLine {
		if !o.full {
			o.size += len(text)
		} else {
			o.tailLen += len(text)
		}
		last.text += text
		return
	}
	if len(text) > maxLine {
		text = text[:maxLine] + "…\n"
	}
	if !o.full && o.size+len(text) <= o.max {
		o.size += len(text)
		o.head = append(o.head, logLine{test, text})
		return
	}
	o.full = true // from now on only the tail grows, so order is kept
	o.tail = append(o.tail, logLine{test, text})
	o.tailLen += len(text)
	for o.tailLen > o.max/4 && len(o.tail) > 1 {
		o.tailLen -= len(o.tail[0].text)
		o.tail[0] = logLine{}
		o.tail = o.tail[1:]
		o.dropped++
	}
}

func (o *outputLog) last() *logLine {
	if n := len(o.tail); n > 0 {
		return &o.tail[n-1]
	}
	if n := len(o.head); n > 0 && !o.full {
		return &o.head[n-1]
	}
	return nil
}

func (o *outputLog) lines() []logLine {
	if o.dropped == 0 {
		return append(o.head[:len(o.head):len(o.head)], o.tail...)
	}
	out := make([]logLine, 0, len(o.head)+len(o.tail)+1)
	out = append(out, o.head...)
	out = append(out, logLine{text: "… " + strconv.Itoa(o.dropped) + " lines of output dropped …\n"})
	return append(out, o.tail...)
}
