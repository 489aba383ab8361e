// Package cli is the terminal front end: one file per command, all of them
// thin over the engine so the terminal and the editor always agree.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// IO is where a command reads and writes; tests substitute buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// Dir is the directory commands start from (default: the process's).
	Dir string
	// Color enables ANSI colours.
	Color bool
	// TTY says In is an interactive terminal (watch reads single keys).
	TTY bool
}

// Stdio is the process's own terminal.
func Stdio() IO {
	tty := isTerminal(os.Stdin) && isTerminal(os.Stdout)
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Color: isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "", TTY: tty}
}

type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, io IO, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"init", "[DIR]", "create a challenge workspace (default: ./gochallenge-workspace)", runInit},
		{"list", "[--json]", "list challenges with their status", runList},
		{"check", "[ID] [--json] [--no-race | --race]", "run a challenge's tests and race check (default: today's)", runCheck},
		{"lint", "[ID] [--json] [--explain PASS]", "run only the hint passes (static analysis) on a challenge", runLint},
		{"hint", "ID [--level N] [--early]", "show the next hint (hints unlock as you work)", runHint},
		{"bench", "ID [NAME] [--count N] [--json]", "run a challenge's benchmarks against their targets", runBench},
		{"solution", "ID [--yes]", "show the reference solution (after your tests pass, or after every hint)", runSolution},
		{"reset", "ID [--yes]", "restore a challenge as shipped (your files are backed up)", runReset},
		{"progress", "[--json]", "streaks, solved challenges and time per day", runProgress},
		{"watch", "[ID]", "re-run the current challenge on every save", runWatch},
		{"verify", "[ID...] [--dir DIR] [-j N]", "check the curriculum content (run in the repository)", runVerify},
		{"serve", "[-v]", "run the language server on stdio (editors start it)", runServe},
		{"warm", "[DIR]", "download modules and build every challenge's tests once, so checks start quickly", runWarm},
		{"doctor", "", "check Go, the race detector, module access and the build cache", runDoctor},
		{"version", "", "print the version", runVersion},
		{"bundle", "-o FILE | -check FILE DIR", "(authors) regenerate or check the embedded curriculum", runBundle},
	}
}

// exitError carries an exit code without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs a command line and returns the process exit code.
func Main(args []string, io IO) int {
	if io.Dir == "" {
		io.Dir, _ = os.Getwd()
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(io.Out)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, io, args[1:])
		var ee exitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.code
		case errors.Is(err, flag.ErrHelp):
			return 2
		default:
			fmt.Fprintf(io.Err, "gochallenge %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(io.Err, "gochallenge: unknown command %q\n\n", args[0])
	usage(io.Err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gochallenge: senior-level Go, one challenge a day.\n\nUsage: gochallenge COMMAND [ARGS]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %-30s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nCommands other than init, verify and version find the workspace from the current folder upwards.")
}

// flags parses a command's flags, allowing flags after positional args
// ("hint d01 --level 2").
func flags(io IO, name string, args []string, define func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	define(fs)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// open finds the workspace and an engine over it.
func open(io IO) (*engine.Engine, error) {
	ws, err := workspace.Find(io.Dir)
	if err != nil {
		return nil, err
	}
	return engine.New(ws), nil
}

// pick resolves an optional challenge argument: the one given, else the
// challenge of the current folder, else today's suggestion.
func pick(e *engine.Engine, io IO, args []string) (string, error) {
	if len(args) > 1 {
		return "", fmt.Errorf("one challenge at a time, got %s", strings.Join(args, " "))
	}
	if len(args) == 1 {
		ch, err := e.Challenge(args[0])
		if err != nil {
			return "", err
		}
		return ch.ID, nil
	}
	if ch := e.WS.ChallengeOf(io.Dir + string(os.PathSeparator) + "x"); ch != nil {
		return ch.ID, nil
	}
	ov, err := e.Overview()
	if err != nil {
		return "", err
	}
	if ov.Today == "" {
		return "", errors.New("every challenge is done; name one to re-check it")
	}
	return ov.Today, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
