package main

import (
	"context"
	"log"

	"di"
)

type Server struct{}

func resolveServer(ctx context.Context, c *di.Container) *Server {
	s, err := di.Resolve[*Server](ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	return s
}

func main() {
	c := di.New()
	ctx := context.Background()
	_ = c.Invoke(ctx, func(s *Server) {})
	_ = resolveServer(ctx, c)
}
