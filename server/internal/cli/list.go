package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
)

func runList(ctx context.Context, io IO, args []string) error {
	var asJSON bool
	if _, err := flags(io, "list", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	}); err != nil {
		return err
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	ov, err := e.Overview()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(io, ov)
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
