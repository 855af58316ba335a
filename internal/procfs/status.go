package procfs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// RSS returns a process's resident set size in bytes, the VmRSS line of
// /proc/PID/status.
func RSS(pid int) (int64, error) {
	path := filepath.Join(Root, strconv.Itoa(pid), "status")
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("procfs: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("procfs: %s: VmRSS %q is not a number of kB", path, rest)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("procfs: %s has no VmRSS line (a kernel thread or a zombie)", path)
}
