package oidcprovider

import (
	"errors"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// OwnerLabel names the process that runs a container: "host:pid". A
// container whose owner on this host is gone was left by a run that was
// killed before it could clean up (SIGKILL, a crash).
const OwnerLabel = "dsra-oauth2.owner"

// owner is this process's OwnerLabel value.
func owner() string {
	host, _ := os.Hostname()
	return host + ":" + strconv.Itoa(os.Getpid())
}

// sweepOrphans removes the oidc-provider containers on the engine whose
// owner process on this host no longer exists.
func sweepOrphans(pool *dockertest.Pool, logger *slog.Logger) {
	list, err := pool.Client.ListContainers(dc.ListContainersOptions{
		All:     true,
		Filters: map[string][]string{"label": {ContainerLabel + "=oidc-provider"}},
	})
	if err != nil {
		logger.Debug("listing containers", "err", err)
		return
	}
	host, _ := os.Hostname()
	for _, c := range list {
		if !orphaned(c.Labels[OwnerLabel], host) {
			continue
		}
		err := pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true})
		logger.Info("removed a container left by a killed run", "id", c.ID[:12], "owner", c.Labels[OwnerLabel], "err", err)
	}
}

// orphaned reports whether label names a process on host that is gone.
func orphaned(label, host string) bool {
	h, p, ok := strings.Cut(label, ":")
	pid, err := strconv.Atoi(p)
	if !ok || h != host || err != nil || pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
