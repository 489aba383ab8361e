package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/term"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// debounce lets an editor's save (often several writes and a rename)
// settle into one run.
const debounce = 200 * time.Millisecond

// watcher is the state of `gochallenge watch`.
type watcher struct {
	io      IO
	e       *engine.Engine
	p       painter
	current string
	last    *engine.Result
	status  string // a line under the result: hints, errors
	running context.CancelFunc
	results chan runOutcome
}

type runOutcome struct {
	id  string
	res *engine.Result
	err error
}

func runWatch(ctx context.Context, io IO, args []string) error {
	pos, err := flags(io, "watch", args, func(*flag.FlagSet) {})
	if err != nil {
		return err
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	id, err := pick(e, io, pos)
	if err != nil {
		return err
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer fw.Close()
	for _, ch := range e.WS.Curriculum.Challenges {
		if err := fw.Add(e.WS.Dir(ch)); err != nil {
			return fmt.Errorf("watching %s: %w", ch.Dir, err)
		}
	}
	if io.TTY {
		if f, ok := io.In.(*os.File); ok {
			if old, err := term.MakeRaw(int(f.Fd())); err == nil {
				defer term.Restore(int(f.Fd()), old)
				io.Out = crlf{io.Out}
			}
		}
	}
	w := &watcher{io: io, e: e, p: painter(io.Color), current: id, results: make(chan runOutcome, 1)}
	keys := make(chan byte)
	go readKeys(io.In, keys)
	return w.loop(ctx, fw, keys)
}

func (w *watcher) loop(ctx context.Context, fw *fsnotify.Watcher, keys <-chan byte) error {
	w.record(progress.KindOpened)
	w.start(ctx)
	var timer <-chan time.Time
	changed := ""
	for {
		select {
		case <-ctx.Done():
			w.stop()
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if !strings.HasSuffix(ev.Name, ".go") || ev.Op == fsnotify.Chmod {
				continue
			}
			if ch := w.e.WS.ChallengeOf(ev.Name); ch != nil {
				changed = ch.ID
				timer = time.After(debounce)
			}
		case err, ok := <-fw.Errors:
			if ok {
				w.status = w.p.red("watch error: " + err.Error())
				w.draw()
			}
		case <-timer:
			timer = nil
			if changed != w.current {
				w.current = changed
				w.record(progress.KindOpened)
			}
			w.start(ctx)
		case out := <-w.results:
			if out.id != w.current {
				continue
			}
			w.running = nil
			switch {
			case errors.Is(out.err, context.Canceled), errors.Is(out.err, engine.ErrSuperseded):
				continue
			case out.err != nil:
				w.last, w.status = nil, w.p.red(out.err.Error())
			default:
				w.last, w.status = out.res, ""
			}
			w.draw()
		case k, ok := <-keys:
			if !ok {
				keys = nil // stdin closed: keep watching files
				continue
			}
			if quit := w.key(ctx, k); quit {
				w.stop()
				return nil
			}
		}
	}
}

func (w *watcher) key(ctx context.Context, k byte) (quit bool) {
	switch k {
	case 'q', 3, 4: // q, Ctrl-C, Ctrl-D (raw mode delivers them as bytes)
		fmt.Fprintln(w.io.Out)
		return true
	case 'r':
		w.start(ctx)
	case 'n':
		ov, err := w.e.Overview()
		if err != nil {
			w.status = w.p.red(err.Error())
			break
		}
		w.current = nextAfter(ov, w.current)
		w.last = nil
		w.record(progress.KindOpened)
		w.start(ctx)
	case 'h':
		h, err := w.e.ShowHint(w.current, 0, false)
		if l, ok := engine.IsHintLocked(err); ok {
			w.status = w.p.yellow(fmt.Sprintf("Hint %d unlocks after %d more failed run(s) or %d more minute(s). `gochallenge hint %s --early` shows it now.", l.Level, l.FailedRuns, l.Minutes, w.current))
		} else if err != nil {
			w.status = w.p.red(err.Error())
		} else {
			w.status = w.p.bold(fmt.Sprintf("Hint %d/%d: ", h.Level, h.Of)) + h.Text
		}
		w.draw()
	case 'l':
		var b bytes.Buffer
		sub := w.io
		sub.Out = &b
		if err := runList(ctx, sub, nil); err != nil {
			w.status = w.p.red(err.Error())
		} else {
			w.status = b.String()
		}
		w.draw()
	}
	return false
}

// nextAfter is the next challenge in course order that is not done.
func nextAfter(ov *engine.Overview, id string) string {
	idx := 0
	for i, c := range ov.Challenges {
		if c.ID == id {
			idx = i
		}
	}
	for k := 1; k <= len(ov.Challenges); k++ {
		c := ov.Challenges[(idx+k)%len(ov.Challenges)]
		if c.Status != progress.Done {
			return c.ID
		}
	}
	return id
}

// start cancels any run in flight and checks the current challenge.
func (w *watcher) start(ctx context.Context) {
	w.stop()
	runCtx, cancel := context.WithCancel(ctx)
	w.running = cancel
	id := w.current
	w.status = w.p.dim("running " + id + "…")
	w.draw()
	go func() {
		res, err := w.e.Check(runCtx, id, engine.CheckOptions{})
		// Replace an undelivered outcome: only the newest matters.
		select {
		case <-w.results:
		default:
		}
		w.results <- runOutcome{id, res, err}
	}()
}

func (w *watcher) stop() {
	if w.running != nil {
		w.running()
		w.running = nil
	}
}

func (w *watcher) record(kind progress.Kind) {
	_ = w.e.WS.Progress.Record(progress.Event{Kind: kind, Challenge: w.current})
}

func (w *watcher) draw() {
	out := w.io.Out
	if w.io.TTY {
		fmt.Fprint(out, "\x1b[H\x1b[2J")
	} else {
		fmt.Fprintln(out, strings.Repeat("─", 60))
	}
	if ov, err := w.e.Overview(); err == nil {
		fmt.Fprintf(out, "%s   streak %d day(s)\n", bar(w.p, ov.Done, ov.Total, 30), ov.Streak)
	}
	ch, _ := w.e.Challenge(w.current)
	if ch != nil {
		fmt.Fprintf(out, "%s %s: %s\n%s\n\n", w.p.bold(ch.Label()), ch.ID, ch.Title, w.p.dim(filepath.Join(ch.Dir, "README.md")))
	}
	if w.last != nil && w.last.Challenge == w.current {
		renderer{w: out, p: w.p, root: w.e.WS.Root}.result(w.last)
		if w.last.Status == progress.Done {
			fmt.Fprintf(out, "\n%s\n", w.p.green("Done! Press n for the next challenge."))
		}
	}
	if w.status != "" {
		fmt.Fprintf(out, "\n%s\n", w.status)
	}
	fmt.Fprintf(out, "\n%s\n", w.p.dim("save a file to re-run · n next · h hint · l list · r rerun · q quit"))
}

// readKeys delivers single key presses (raw terminal) or the first byte
// of each line (pipes), and closes keys at end of input.
func readKeys(in io.Reader, keys chan<- byte) {
	defer close(keys)
	r := bufio.NewReader(in)
	for {
		b, err := r.ReadByte()
		if err != nil {
			return
		}
		if b == '\n' || b == '\r' || b == ' ' {
			continue
		}
		keys <- b
	}
}

// crlf turns \n into \r\n: a raw-mode terminal does not return the
// carriage by itself.
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	_, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n")))
	return len(p), err
}
