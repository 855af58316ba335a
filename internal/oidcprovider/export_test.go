package oidcprovider

import (
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/childproc"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// PIDs are the processes the provider runs on this machine: node in
// process mode, the container's process and a private dockerd in docker mode.
func (p *Provider) PIDs() []int {
	var pids []int
	switch s := p.server.(type) {
	case *childproc.Process:
		pids = append(pids, s.PID())
	case *dockerd.Container:
		if ct, err := p.engine.Pool.Client.InspectContainer(s.ID()); err == nil && ct.State.Pid > 0 {
			pids = append(pids, ct.State.Pid)
		}
	}
	if p.engine != nil {
		pids = append(pids, p.engine.PID())
	}
	return pids
}
