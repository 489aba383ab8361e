package cli

import (
	"context"
	"flag"
	"fmt"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

func runBench(ctx context.Context, io IO, args []string) error {
	var asJSON bool
	var count int
	var benchtime string
	pos, err := flags(io, "bench", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
		fs.IntVar(&count, "count", 6, "repetitions (the median is reported)")
		fs.StringVar(&benchtime, "benchtime", "", "go test -benchtime")
	})
	if err != nil {
		return err
	}
	if len(pos) == 0 || len(pos) > 2 {
		return fmt.Errorf("usage: gochallenge bench ID [BenchmarkName]")
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	o := engine.BenchOptions{Count: count, Benchtime: benchtime}
	if len(pos) == 2 {
		o.Name = pos[1]
	}
	p := painter(io.Color)
	if !asJSON {
		fmt.Fprintln(io.Err, p.dim(fmt.Sprintf("benchmarking %s (count %d)…", pos[0], count)))
	}
	rep, err := e.Bench(ctx, pos[0], o)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(io, rep)
	}
	if !rep.Run.Compiled() || len(rep.Verdicts) == 0 {
		renderer{w: io.Out, p: p, root: e.WS.Root}.report("bench", rep.Run, nil)
		if len(rep.Verdicts) == 0 {
			fmt.Fprintln(io.Out, "no benchmark results")
		}
		return exitError{1}
	}
	ok := true
	for _, v := range rep.Verdicts {
		mark := p.dim("·")
		if v.Gate != nil {
			mark = p.green("✓")
			if !v.OK() {
				mark, ok = p.red("✗"), false
			}
		}
		fmt.Fprintf(io.Out, "%s %-28s %s\n", mark, v.Name, v.String())
		if v.PreviousBest != nil {
			fmt.Fprintf(io.Out, "  %s\n", p.dim(fmt.Sprintf("your best so far: %s ns/op, %s allocs/op", engine.Thousands(v.PreviousBest.NsPerOp), engine.Thousands(v.PreviousBest.AllocsPerOp))))
		}
	}
	if !ok {
		return exitError{1}
	}
	return nil
}
