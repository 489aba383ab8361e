// Command gochallenge is the helper behind the Go Challenges course: a
// terminal front end (init, check, watch, hint, ...), the content checker
// (verify) and, in later releases, the language server editors talk to.
package main

import (
	"os"

	"gochallenge.dev/gochallenge/server/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Stdio()))
}
