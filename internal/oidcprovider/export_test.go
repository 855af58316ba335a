package oidcprovider

// PIDs are the processes the provider runs on this machine: node in
// process mode, the container's process and a private dockerd in docker mode.
func (p *Provider) PIDs() []int {
	var pids []int
	switch s := p.server.(type) {
	case *process:
		pids = append(pids, s.cmd.Process.Pid)
	case *container:
		if ct, err := s.pool.Client.InspectContainer(s.res.Container.ID); err == nil && ct.State.Pid > 0 {
			pids = append(pids, ct.State.Pid)
		}
	}
	if p.engine != nil {
		pids = append(pids, p.engine.PID())
	}
	return pids
}
