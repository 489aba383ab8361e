//go:build unix

package cli

import (
	"os/exec"
	"syscall"
)

// detach puts cmd in its own session: closing the terminal does not stop it.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
