package dockerd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
)

// cleanDir ends the processes whose command line names dir, unmounts
// everything mounted under dir (dockerd leaves an nsfs mount for the host
// network namespace under its exec root) and removes dir.
func cleanDir(dir string) error {
	var errs []error
	if err := killNaming(dir, 5*time.Second); err != nil {
		errs = append(errs, err)
	}
	if err := UnmountUnder(dir); err != nil {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		errs = append(errs, fmt.Errorf("dockerd: removing %s: %w", dir, err))
	}
	return errors.Join(errs...)
}

// killNaming sends SIGTERM to the processes naming s and SIGKILL to those
// still there after grace.
func killNaming(s string, grace time.Duration) error {
	pids := procfs.Naming(s)
	if len(pids) == 0 {
		return nil
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) && len(procfs.Naming(s)) > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	left := procfs.Naming(s)
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if len(left) > 0 {
		time.Sleep(100 * time.Millisecond)
		if left = procfs.Naming(s); len(left) > 0 {
			return fmt.Errorf("dockerd: processes %v under %s survive SIGKILL", left, s)
		}
	}
	return nil
}

// MountsUnder returns the mount points at or under dir, from
// /proc/self/mountinfo, deepest first.
func MountsUnder(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := ParseMountInfo(f)
	if err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	var under []string
	for _, mp := range all {
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			under = append(under, mp)
		}
	}
	// Deepest first, and for the same point the later (upper) mount first.
	sort.SliceStable(under, func(i, j int) bool { return len(under[i]) > len(under[j]) })
	return under, nil
}

// UnmountUnder unmounts everything at or under dir, lazily where a plain
// unmount is refused.
func UnmountUnder(dir string) error {
	for range 8 { // mounts can be stacked; each round peels one layer
		mps, err := MountsUnder(dir)
		if err != nil {
			return fmt.Errorf("dockerd: reading mounts: %w", err)
		}
		if len(mps) == 0 {
			return nil
		}
		for _, mp := range mps {
			if err := syscall.Unmount(mp, 0); err != nil {
				_ = syscall.Unmount(mp, syscall.MNT_DETACH)
			}
		}
	}
	mps, _ := MountsUnder(dir)
	if len(mps) > 0 {
		return fmt.Errorf("dockerd: still mounted under %s: %v", dir, mps)
	}
	return nil
}

// ParseMountInfo returns the mount points listed in r, in the format of
// /proc/self/mountinfo (proc(5)), with the octal escapes of spaces, tabs,
// newlines and backslashes decoded.
func ParseMountInfo(r io.Reader) ([]string, error) {
	var mps []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 10 {
			return nil, fmt.Errorf("mountinfo line %d: %d fields, want at least 10", n, len(fields))
		}
		mps = append(mps, unescapeOctal(fields[4]))
	}
	return mps, sc.Err()
}

// unescapeOctal decodes the kernel's \ooo escapes; anything else is kept.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			v := (s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0')
			b.WriteByte(v)
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// sweepStale cleans up the directories of private engines whose owner died
// without closing them (a killed test binary, a crashed CLI): their owner
// lock is free.
func sweepStale(logger *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	if os.TempDir() != "/tmp" {
		more, _ := filepath.Glob(filepath.Join("/tmp", dirPrefix+"*"))
		dirs = append(dirs, more...)
	}
	for _, dir := range dirs {
		if !stale(dir) {
			continue
		}
		logger.Info("cleaning up a private Docker engine left by a dead process", "dir", dir)
		if err := cleanDir(dir); err != nil {
			logger.Warn("cleanup failed", "dir", dir, "err", err)
		}
	}
}

// stale reports whether no live process owns dir.
func stale(dir string) bool {
	f, err := os.Open(filepath.Join(dir, lockName))
	if err != nil {
		// No lock yet: an owner may be creating it right now.
		fi, serr := os.Stat(dir)
		return serr == nil && time.Since(fi.ModTime()) > 10*time.Minute
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}
