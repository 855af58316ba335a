// Package runmode names how a real provider (Hydra, panva's oidc-provider)
// is run: in a container on a Docker engine, or as a local child process.
package runmode

import "fmt"

// Mode says how a provider is run.
type Mode string

const (
	// Auto runs a container when a Docker engine can be had, else a process.
	Auto Mode = "auto"
	// Docker runs a container on a Docker engine (see dockerd.Ensure).
	Docker Mode = "docker"
	// Process runs the provider as a child process.
	Process Mode = "process"
)

// Parse checks a mode given by a user; "" is [Auto].
func Parse(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "":
		return Auto, nil
	case Auto, Docker, Process:
		return m, nil
	}
	return "", fmt.Errorf("mode %q is not auto, docker or process", s)
}
