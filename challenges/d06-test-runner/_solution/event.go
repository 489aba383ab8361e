package runner

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// Event is one line of the event stream, in the schema of `go doc
// cmd/test2json`. Package is the suite's name; Test is empty for events
// about the suite itself.
type Event struct {
	Time    time.Time `json:",omitzero"`
	Action  string    // start, run, pause, cont, output, pass, fail, skip
	Package string    `json:",omitempty"`
	Test    string    `json:",omitempty"`
	Elapsed float64   `json:",omitempty"` // seconds, on pass, fail and skip
	Output  string    `json:",omitempty"`
}

// eventWriter encodes events as JSON lines into a buffer it reuses, so an
// event costs no allocation (encoding/json would cost several). It is not
// safe for concurrent use: exec.mu serialises every call.
type eventWriter struct {
	w   io.Writer
	buf []byte

	// Formatting a time is the most expensive part of an event, and most
	// events of a run share their second: keep "2006-01-02T15:04:05" and
	// the zone ("Z", "+01:00") of the last second seen.
	sec      int64
	loc      *time.Location
	dateTime []byte
	zone     []byte
	scratch  []byte
}

// appendTime appends now in time.RFC3339Nano.
func (ew *eventWriter) appendTime(b []byte, now time.Time) []byte {
	if sec := now.Unix(); sec != ew.sec || now.Location() != ew.loc || ew.dateTime == nil {
		f := now.Truncate(time.Second).AppendFormat(ew.scratch[:0], time.RFC3339)
		ew.scratch = f
		const n = len("2006-01-02T15:04:05")
		if len(f) <= n || f[4] != '-' || f[10] != 'T' {
			return now.AppendFormat(b, time.RFC3339Nano) // a year outside 0000-9999
		}
		ew.dateTime = append(ew.dateTime[:0], f[:n]...)
		ew.zone = append(ew.zone[:0], f[n:]...)
		ew.sec, ew.loc = sec, now.Location()
	}
	b = append(b, ew.dateTime...)
	if ns := now.Nanosecond(); ns != 0 {
		// ".999999999": nine digits, trailing zeros trimmed.
		var d [10]byte
		d[0] = '.'
		for i := 9; i > 0; i-- {
			d[i] = byte('0' + ns%10)
			ns /= 10
		}
		end := 10
		for d[end-1] == '0' {
			end--
		}
		b = append(b, d[:end]...)
	}
	return append(b, ew.zone...)
}

// begin starts an event: `{"Time":...,"Action":...,"Package":...,"Test":...`.
func (ew *eventWriter) begin(now time.Time, action, pkg, test string) {
	b := append(ew.buf[:0], `{"Time":"`...)
	b = ew.appendTime(b, now)
	b = append(b, `","Action":"`...)
	b = appendEscaped(b, action)
	b = append(b, '"')
	if pkg != "" {
		b = append(b, `,"Package":"`...)
		b = appendEscaped(b, pkg)
		b = append(b, '"')
	}
	if test != "" {
		b = append(b, `,"Test":"`...)
		b = appendEscaped(b, test)
		b = append(b, '"')
	}
	ew.buf = b
}

// elapsed adds the Elapsed field, which test2json writes on every terminal
// event, even when it is 0.
func (ew *eventWriter) elapsed(d time.Duration) {
	ew.buf = append(ew.buf, `,"Elapsed":`...)
	ew.buf = appendSeconds(ew.buf, d, 9)
}

// appendSeconds appends d in seconds, rounded to prec (<= 9) decimals, with
// trailing zeros trimmed when prec is 9 (a JSON number) and kept otherwise
// (testing's "(0.00s)"). strconv.AppendFloat would do, at several times the
// cost and with a deep stack that makes every new test goroutine grow its
// stack.
func appendSeconds(b []byte, d time.Duration, prec int) []byte {
	if d < 0 {
		d = 0
	}
	unit := int64(1)
	for range 9 - prec {
		unit *= 10
	}
	n := (int64(d) + unit/2) / unit // in units of 10^-prec s
	scale := int64(1)
	for range prec {
		scale *= 10
	}
	b = strconv.AppendInt(b, n/scale, 10)
	frac := n % scale
	if prec == 0 || prec == 9 && frac == 0 {
		return b
	}
	var digits [9]byte
	for i := prec - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := prec
	if prec == 9 {
		for digits[end-1] == '0' {
			end--
		}
	}
	b = append(b, '.')
	return append(b, digits[:end]...)
}

// output opens the Output field; the caller appends the text with str,
// bytes and then calls end(true).
func (ew *eventWriter) output() { ew.buf = append(ew.buf, `,"Output":"`...) }

func (ew *eventWriter) str(s string) { ew.buf = appendEscaped(ew.buf, s) }

// end closes the event and writes it with one Write call, so that a reader
// never sees half a line. Write errors are ignored, as a test binary ignores
// a closed stdout.
func (ew *eventWriter) end(inOutput bool) {
	if inOutput {
		ew.buf = append(ew.buf, '"')
	}
	ew.buf = append(ew.buf, "}\n"...)
	_, _ = ew.w.Write(ew.buf)
}

const hexDigits = "0123456789abcdef"

// appendEscaped appends s escaped for the inside of a JSON string. Invalid
// UTF-8 becomes U+FFFD, as with encoding/json.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
