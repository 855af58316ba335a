package mockprovider

import "slices"

// WithHosts names the host[:port] values, besides loopback names and the
// issuer's host, that the /_mock control API answers as its Host, e.g.
// the listen address. Any other Host is refused: it is how a DNS
// rebinding attack arrives.
func WithHosts(hosts ...string) Option {
	return func(c *config) { c.hosts = append(slices.Clone(c.hosts), hosts...) }
}
