package browsertest_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestSessionsShareOneBrowser(t *testing.T) {
	a, b := browsertest.Browser(t), browsertest.Browser(t)
	assert.Same(t, a, b)
	s := browsertest.Session(t)
	require.NoError(t, s.Navigate("about:blank"))
}

// TestKillLeavesNothingBehind runs this test binary again, has it launch the
// shared browser, and kills it with SIGKILL, which no Go code survives: rod's
// leakless guard must kill Chromium, and the next Launch must remove the
// profile left behind.
func TestKillLeavesNothingBehind(t *testing.T) {
	if os.Getenv("BROWSERTEST_CHILD") == "kill" {
		b := browsertest.Browser(t)
		fmt.Printf("pid %d\n", b.PID())
		fmt.Printf("args %s\n", readCmdline(b.PID()))
		os.Stdout.Sync()
		time.Sleep(30 * time.Second) // the parent kills us first
		t.Fatal("still alive")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillLeavesNothingBehind$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BROWSERTEST_CHILD=kill")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	pid, dir := readChild(t, out, func() { _ = cmd.Process.Kill() })
	_ = cmd.Wait()
	require.NotZero(t, pid, "the child printed no pid")
	require.NotEmpty(t, dir, "the child printed no profile")

	deadline := time.Now().Add(10 * time.Second)
	for processAlive(pid) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	assert.False(t, processAlive(pid), "Chromium %d outlived its Go process", pid)
	if _, err := os.Stat(dir); err != nil {
		// go test runs packages in parallel: a Launch in another test
		// binary sweeps dead profiles too, and may have been first.
		t.Logf("the profile is gone already, swept by a concurrent Launch: %v", err)
	}

	b, err := browser.Launch(t.Context(), browsertest.Options)
	require.NoError(t, err)
	require.NoError(t, b.Close())
	assert.NoDirExists(t, dir, "Launch removes the profiles of dead browsers")
}

// readChild reads the child's pid and profile lines, calling then() once it
// has both.
func readChild(t *testing.T, out io.Reader, then func()) (pid int, dir string) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "pid "); ok {
			pid, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "args "); ok {
			for _, a := range strings.Fields(v) {
				if d, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
					dir = d
				}
			}
		}
		if pid != 0 && dir != "" && then != nil {
			then()
			then = nil
		}
	}
	return pid, dir
}

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

// TestInterruptStopsEverything runs this test binary again, has it launch the
// shared browser and interrupt itself as Ctrl-C would, and checks that
// Chromium and its profile are gone when it has died of the signal.
func TestInterruptStopsEverything(t *testing.T) {
	if os.Getenv("BROWSERTEST_CHILD") == "interrupt" {
		b := browsertest.Browser(t)
		fmt.Printf("pid %d\n", b.PID())
		fmt.Printf("args %s\n", readCmdline(b.PID()))
		os.Stdout.Sync()
		require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
		time.Sleep(30 * time.Second) // the signal ends the process first
		t.Fatal("still alive after SIGINT")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptStopsEverything$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BROWSERTEST_CHILD=interrupt")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	pid, dir := readChild(t, out, nil)
	err = cmd.Wait()
	require.Error(t, err, "the child dies of SIGINT")
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "the child ended by %v, not by SIGINT", cmd.ProcessState)
	require.NotZero(t, pid, "the child printed no pid")
	require.NotEmpty(t, dir, "the child printed no profile")
	assert.NoDirExists(t, dir, "the profile is removed")
	assert.False(t, processAlive(pid), "Chromium %d still runs", pid)
}

func readCmdline(pid int) string {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return strings.ReplaceAll(strings.TrimRight(string(raw), "\x00"), "\x00", " ")
}
