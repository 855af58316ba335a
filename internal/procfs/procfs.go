// Package procfs finds processes by their command line, through Linux's
// /proc (proc(5)). It is how the launchers find what a killed test run
// left behind: a Chromium still using a profile, a containerd under a
// private Docker engine's folder. Elsewhere than Linux it finds nothing.
package procfs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Root is where the process file system is mounted.
const Root = "/proc"

// Find returns the ids of the processes, other than this one, whose
// command line arguments (argv, /proc/PID/cmdline split at NUL) match.
// Processes that end or cannot be read during the scan are left out.
func Find(match func(args []string) bool) []int {
	entries, err := os.ReadDir(Root)
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(Root, e.Name(), "cmdline"))
		if err != nil || len(raw) == 0 {
			continue
		}
		if match(strings.Split(string(bytes.TrimSuffix(raw, []byte{0})), "\x00")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Naming returns the processes, other than this one, one of whose
// command line arguments contains s.
func Naming(s string) []int {
	return Find(func(args []string) bool {
		for _, a := range args {
			if strings.Contains(a, s) {
				return true
			}
		}
		return false
	})
}

// WithArg returns the processes, other than this one, one of whose
// command line arguments is exactly arg (e.g. "--user-data-dir=/tmp/x").
func WithArg(arg string) []int {
	return Find(func(args []string) bool {
		for _, a := range args {
			if a == arg {
				return true
			}
		}
		return false
	})
}

// Alive reports whether a process with the id exists (also one this
// process may not signal).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
