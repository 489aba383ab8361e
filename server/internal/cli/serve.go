package cli

import (
	"context"
	"flag"
	"io"
	"log"

	"gochallenge.dev/gochallenge/server/internal/lsp"
)

// stdio joins stdin and stdout into the connection a language client
// speaks over.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

func runServe(ctx context.Context, io IO, args []string) error {
	var verbose bool
	if _, err := flags(io, "serve", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&verbose, "v", false, "log to stderr")
	}); err != nil {
		return err
	}
	o := lsp.Options{Version: Version}
	if verbose {
		o.Log = log.New(io.Err, "gochallenge serve: ", log.LstdFlags)
	}
	code := lsp.Serve(ctx, stdio{io.In, io.Out}, o)
	if code != 0 {
		return exitError{code}
	}
	return nil
}
