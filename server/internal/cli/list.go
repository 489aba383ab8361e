package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

// overview runs the shared part of list and progress: parse --json, open
// the workspace, load the overview. A nil overview means it was printed as
// JSON already.
func overview(io IO, name string, args []string) (*engine.Overview, error) {
	var asJSON bool
	if _, err := flags(io, name, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	}); err != nil {
		return nil, err
	}
	e, err := open(io)
	if err != nil {
		return nil, err
	}
	ov, err := e.Overview()
	if err != nil || !asJSON {
		return ov, err
	}
	return nil, writeJSON(io, ov)
}

func runList(ctx context.Context, io IO, args []string) error {
	ov, err := overview(io, "list", args)
	if ov == nil || err != nil {
		return err
	}
	p := painter(io.Color)
	section := ""
	for _, c := range ov.Challenges {
		if c.Section != section {
			section = c.Section
			done, total := 0, 0
			for _, o := range ov.Challenges {
				if o.Section == section {
					total++
					if o.Status == "done" {
						done++
					}
				}
			}
			fmt.Fprintf(io.Out, "\n%s %s\n", p.bold(section), p.dim(fmt.Sprintf("(%d/%d done)", done, total)))
		}
		today := "  "
		if c.Today {
			today = p.yellow("▶ ")
		}
		fmt.Fprintf(io.Out, "%s%-8s %-24s %-18s %s\n", today, c.Label, c.ID, p.status(c.Status), c.Title)
	}
	fmt.Fprintf(io.Out, "\n%s\n", bar(p, ov.Done, ov.Total, 30))
	if ov.Today != "" {
		fmt.Fprintf(io.Out, "Today: %s (gochallenge check %s)\n", ov.Today, ov.Today)
	}
	return nil
}

func writeJSON(io IO, v any) error {
	enc := json.NewEncoder(io.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
