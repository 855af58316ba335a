package dockerd

import "errors"

// ErrNoEngine reports that no Docker engine answers and none can be started
// here. Callers test for it with errors.Is and report the scenario as
// skipped, quoting the error: its message says why and what to install.
var ErrNoEngine = errors.New("dockerd: no Docker engine")

// NoEngineError is the error behind [ErrNoEngine]; Reason says what is missing.
type NoEngineError struct {
	Reason string
}

func (e *NoEngineError) Error() string {
	return "dockerd: no Docker engine: " + e.Reason +
		" (set DOCKER_HOST to a running engine, or run as root with Debian's docker.io package installed)"
}

// Is makes errors.Is(err, ErrNoEngine) hold.
func (e *NoEngineError) Is(target error) bool { return target == ErrNoEngine }
