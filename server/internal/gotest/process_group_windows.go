//go:build windows

package gotest

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// ownProcessGroup starts cmd in a new process group (no console signals
// from the editor's terminal reach it).
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup kills cmd and every process it started. Windows has no kill
// of a process group; taskkill /T walks the tree of child processes
// (written by hand instead of job objects: a job must be created before
// the process starts, which os/exec does not offer).
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	if cmd.ProcessState != nil {
		// Waited for: its children may live on, but the pid may be reused.
		return os.ErrProcessDone
	}
	kill := exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid))
	if err := kill.Run(); err != nil {
		return cmd.Process.Kill()
	}
	return nil
}
