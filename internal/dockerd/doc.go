// Package dockerd finds a Docker engine for the conformance targets, or
// starts a private one: [Ensure] uses DOCKER_HOST or the default socket when
// an engine answers there, else (as root, with Debian's docker.io installed)
// runs its own dockerd on a private socket; [Engine.Close] stops what it started.
//
// The private engine is started as
//
//	dockerd --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
//	  --config-file DIR/daemon.json --data-root DIR/data --exec-root DIR/exec \
//	  --pidfile DIR/docker.pid -H unix://DIR/docker.sock
//
// so it creates no bridge, touches no firewall rule or sysctl, and ignores
// /etc/docker/daemon.json: containers must use host networking. Its log is
// DIR/dockerd.log.
package dockerd
