package main

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"
)

type row struct {
	metric, measured, target string
	met                      bool
}

type table struct{ rows []row }

func (t *table) add(metric, measured, target string, met bool) {
	t.rows = append(t.rows, row{metric, measured, target, met})
}

func (t *table) print(w io.Writer, challenge string) {
	fmt.Fprintf(w, "gochallenge serve on %s, %s, %d CPUs, %s\n\n", challenge, runtime.Version(), runtime.NumCPU(), time.Now().Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmeasured\ttarget\t")
	for _, r := range t.rows {
		verdict := ""
		if r.target != "" {
			verdict = "met"
			if !r.met {
				verdict = "MISSED"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.metric, r.measured, r.target, verdict)
	}
	tw.Flush()
}
