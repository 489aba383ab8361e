// Command gochallenge-vet runs gochallenge's hint passes under go vet:
//
//	go build -o /tmp/gochallenge-vet ./server/cmd/gochallenge-vet
//	go vet -vettool=/tmp/gochallenge-vet ./...
//
// It is the yardstick `make bench` compares the in-process hints with,
// and a way to run the passes in CI outside the editor.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
)

func main() {
	unitchecker.Main(suite.Analyzers(suite.All())...)
}
