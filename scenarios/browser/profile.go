package browser

import (
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
)

// profilePrefix names the temporary --user-data-dir of every launched
// browser, so that leftovers of a killed process can be found.
const profilePrefix = "dsra-chromium-"

// sweepProfiles removes the profile directories of browsers that are no
// longer running: those a Go process killed with SIGKILL left behind (its
// Chromium was killed by the leakless guard, its deferred Close never ran).
// Chromium's SingletonLock, a symlink to "hostname-pid", tells whether the
// owner is alive; a directory without one is only taken once it is old, since
// a concurrent Launch may be just starting there.
func sweepProfiles(log *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, dir := range dirs {
		if profileInUse(dir) {
			continue
		}
		if err := os.RemoveAll(dir); err == nil {
			log.Info("browser: removed a profile left by a dead browser", "profile", dir)
		}
	}
}

func profileInUse(dir string) bool {
	target, err := os.Readlink(filepath.Join(dir, "SingletonLock"))
	if err != nil {
		fi, err := os.Stat(dir)
		return err != nil || time.Since(fi.ModTime()) < 2*time.Minute
	}
	i := strings.LastIndexByte(target, '-')
	pid, err := strconv.Atoi(target[i+1:])
	if err != nil || pid <= 0 {
		return true
	}
	return procfs.Alive(pid)
}

// killProfileProcesses kills any process still running with dir as its
// profile. After a clean Close there is none; this is the last resort for a
// browser that ignored Browser.close and SIGKILL of its main process.
func killProfileProcesses(dir string, log *slog.Logger) {
	for _, pid := range profileProcesses(dir) {
		log.Warn("browser: killing a leftover Chromium process", "pid", pid)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// profileProcesses lists the processes whose command line names dir as
// --user-data-dir (Linux /proc; nil elsewhere).
func profileProcesses(dir string) []int { return procfs.WithArg("--user-data-dir=" + dir) }
