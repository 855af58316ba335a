package oidcprovider

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// sharedLibraries lists the absolute paths of the shared libraries bin
// links and of the dynamic loader, as ldd(1) resolves them here.
func sharedLibraries(bin string) ([]string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.Command("ldd", bin)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if strings.Contains(out.String()+errOut.String(), "not a dynamic executable") {
			return nil, nil // static: nothing to add
		}
		return nil, fmt.Errorf("ldd %s: %w: %s", bin, err, strings.TrimSpace(errOut.String()))
	}
	return parseLDD(out.String())
}

// parseLDD reads ldd(1) output: "name => /path (0x...)" for a library,
// "/path (0x...)" for the loader, "name (0x...)" for the vDSO (skipped);
// "name => not found" is an error.
func parseLDD(out string) ([]string, error) {
	var libs []string
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "statically linked") {
			continue
		}
		name, resolved, found := strings.Cut(line, "=>")
		if !found {
			resolved = name // the loader, or the vDSO
		}
		path, _, _ := strings.Cut(strings.TrimSpace(resolved), " (")
		path = strings.TrimSpace(path)
		switch {
		case path == "not found":
			return nil, fmt.Errorf("ldd: %s is not found on this machine", strings.TrimSpace(name))
		case filepath.IsAbs(path):
			libs = append(libs, filepath.Clean(path))
		case found:
			return nil, fmt.Errorf("ldd: cannot read the line %q", line)
		}
	}
	return libs, nil
}
