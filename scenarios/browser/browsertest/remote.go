package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

// Remote is a Chromium started on its own, as a pipeline's shared browser
// would be, for tests of [browser.Connect].
type Remote struct {
	// Endpoint is its DevTools HTTP endpoint, http://127.0.0.1:PORT.
	Endpoint string
	// WebSocket is its browser WebSocket URL, ws://127.0.0.1:PORT/devtools/browser/ID.
	WebSocket string
	// PID is the process id of its main process.
	PID int
}

// StartRemote starts a headless Chromium with --remote-debugging-port=0
// on 127.0.0.1 and its own temporary profile, reads the port it chose from
// the profile's DevToolsActivePort file, and stops it (its whole process
// group) and removes the profile when the test ends.
func StartRemote(tb testing.TB) *Remote {
	tb.Helper()
	bin, err := browser.FindChromium()
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-proxy-server", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
		"--user-data-dir="+dir, "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("browsertest: start %s: %v", bin, err)
	}
	tb.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	port, path, err := activePort(tb.Context(), dir)
	if err != nil {
		tb.Fatalf("browsertest: remote Chromium: %v", err)
	}
	return &Remote{
		Endpoint:  "http://127.0.0.1:" + port,
		WebSocket: "ws://127.0.0.1:" + port + path,
		PID:       cmd.Process.Pid,
	}
}

// Alive reports whether the remote browser's main process still runs.
func (r *Remote) Alive() bool {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.PID))
	if err != nil {
		return false
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

// activePort waits for Chromium to write DevToolsActivePort: the port on
// its first line, the browser's WebSocket path on the second.
func activePort(ctx context.Context, dir string) (port, path string, err error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	file := filepath.Join(dir, "DevToolsActivePort")
	for {
		raw, err := os.ReadFile(file)
		if lines := strings.Split(string(bytes.TrimSpace(raw)), "\n"); err == nil && len(lines) == 2 {
			return strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1]), nil
		}
		select {
		case <-ctx.Done():
			return "", "", errors.New("no DevToolsActivePort file within 20 s")
		case <-time.After(50 * time.Millisecond):
		}
	}
}
