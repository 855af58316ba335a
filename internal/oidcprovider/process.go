package oidcprovider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/childproc"
)

// startProcess runs node dir/provider.mjs with env as its only configuration.
func (p *Provider) startProcess(node, dir, env string) error {
	cmd := exec.Command(node, filepath.Join(dir, ProgramName))
	// Only our configuration: NODE_OPTIONS or the like in the caller's
	// environment must not change the target.
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir(), env}
	cmd.Dir = dir
	p.launched = time.Now()
	pr, err := childproc.Start(cmd, p.logger)
	if err != nil {
		return fmt.Errorf("oidcprovider: starting %s: %w", node, err)
	}
	p.server = pr
	p.mode = "process (" + node + ")"
	p.logger.Debug("oidc-provider process started", "pid", pr.PID(), "node", node)
	return nil
}
