package lsp

import (
	"context"
	"fmt"
	"strings"

	"gochallenge.dev/gochallenge/server/internal/toolchain"
)

// methodEnvironment answers whether this machine can run the challenges.
const methodEnvironment = "gochallenge/environment"

// Environment is the toolchain's quick checks, as they stood at startup.
type Environment struct {
	// Ready is false when a check failed fatally: no test can run.
	Ready  bool              `json:"ready"`
	Checks []toolchain.Check `json:"checks"`
}

// checkToolchain runs the quick toolchain checks once, when the client is
// initialized, and says what to install in one message: without it, every
// save would fail with the same error.
func (s *Server) checkToolchain() {
	s.toolchainOnce.Do(func() { s.wg.Go(s.runToolchainChecks) })
}

func (s *Server) initializedNotification(context.Context, *struct{}) (*struct{}, error) {
	s.checkToolchain()
	return nil, nil
}

func (s *Server) runToolchainChecks() {
	defer close(s.toolchainChecked)
	checks := s.opts.Toolchain(s.closing)
	env := &Environment{Ready: true, Checks: checks}
	var problems []string
	for _, c := range checks {
		if c.Fatal() {
			env.Ready = false
			problems = append(problems, fmt.Sprintf("%s: %s. %s", c.Name, c.Info, c.Fix))
		}
	}
	s.mu.Lock()
	s.env = env
	hasWorkspace := len(s.ws) > 0
	s.mu.Unlock()
	if !env.Ready && hasWorkspace {
		s.showError("Go Challenges cannot run your tests on this machine. " + strings.Join(problems, " "))
	}
}

func (s *Server) environment(ctx context.Context, _ *struct{}) (*Environment, error) {
	s.checkToolchain() // a client may ask before it sends initialized
	select {
	case <-s.toolchainChecked:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.env, nil
}

// toolchainBroken reports whether the startup checks found a fatal
// problem, already reported: runs then fail without another message.
func (s *Server) toolchainBroken() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.env != nil && !s.env.Ready
}
