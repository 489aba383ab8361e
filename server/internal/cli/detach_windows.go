//go:build windows

package cli

import (
	"os/exec"
	"syscall"
)

// detach starts cmd without a console and outside this console's process
// group: closing the terminal does not stop it.
func detach(cmd *exec.Cmd) {
	const detachedProcess = 0x00000008 // DETACHED_PROCESS
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP | detachedProcess}
}
