package main

import (
	"flag"
	"fmt"
)

var addr = "localhost:8080"

var verbose bool

// main is the composition root: its configuration writes are not reported.
func main() {
	flag.StringVar(&addr, "addr", addr, "listen address")
	flag.BoolVar(&verbose, "v", false, "verbose")
	flag.Parse()
	serve()
}

func serve() {
	addr = "changed" // want `serve writes package variable addr`
	fmt.Println(addr, verbose)
}
