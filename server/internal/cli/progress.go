package cli

import (
	"context"
	"fmt"
	"strings"
)

func runProgress(ctx context.Context, io IO, args []string) error {
	ov, err := overview(io, "progress", args)
	if ov == nil || err != nil {
		return err
	}
	p := painter(io.Color)
	fmt.Fprintf(io.Out, "%s\n", bar(p, ov.Done, ov.Total, 30))
	fmt.Fprintf(io.Out, "Streak: %d day(s) (longest %d)\n", ov.Streak, ov.Longest)
	if ov.Today != "" {
		fmt.Fprintf(io.Out, "Today: %s\n", ov.Today)
	}
	if ov.Skipped > 0 {
		fmt.Fprintf(io.Out, "%s\n", p.yellow(fmt.Sprintf("warning: %d damaged line(s) in .gochallenge/progress.jsonl were skipped", ov.Skipped)))
	}
	if len(ov.Days) > 0 {
		fmt.Fprintln(io.Out, "\nDay         runs  active  solved")
	}
	for _, d := range ov.Days {
		fmt.Fprintf(io.Out, "%s  %4d  %6s  %s\n", d.Date, d.Runs, duration(d.Active), strings.Join(d.Solved, ", "))
	}
	var rows []string
	for _, c := range ov.Challenges {
		if c.Attempts == 0 && c.TimeOnTask == 0 {
			continue
		}
		rows = append(rows, fmt.Sprintf("%-24s %-18s %3d runs  %6s  hints %d/%d", c.ID, p.status(c.Status), c.Attempts, duration(c.TimeOnTask), c.HintsUsed, c.HintsOf))
	}
	if len(rows) > 0 {
		fmt.Fprintf(io.Out, "\n%s\n", strings.Join(rows, "\n"))
	}
	return nil
}
