package devca

import (
	"crypto/tls"
	"fmt"
)

// ServerOptions says how a program serves HTTPS: with its own
// certificate and key files, or with a certificate made at start by a new
// [Authority] whose CA certificate is written to CAOut.
type ServerOptions struct {
	// Generate makes a CA and a server certificate at start.
	Generate bool
	// CertFile and KeyFile are the user's own PEM files; they win over
	// Generate.
	CertFile, KeyFile string
	// Listen is the host:port served, whose host the certificate names.
	Listen string
	// URLs are more URLs the certificate must be valid for (an issuer).
	URLs []string
	// CAOut is where the generated CA certificate is written.
	CAOut string
	// Name is the CA's common name.
	Name string
}

// Config returns the TLS configuration to serve, or nil when HTTPS is
// off, and the path of the CA certificate it wrote (empty when the user
// gave their own certificate).
func (o ServerOptions) Config() (*tls.Config, string, error) {
	cert, own, err := LoadKeyPair(o.CertFile, o.KeyFile)
	switch {
	case err != nil:
		return nil, "", err
	case own:
		return ServerConfig(cert), "", nil
	case !o.Generate:
		return nil, "", nil
	case o.CAOut == "":
		return nil, "", fmt.Errorf("devca: no path to write the CA certificate to")
	}
	hosts, err := ListenHosts(o.Listen, o.URLs...)
	if err != nil {
		return nil, "", err
	}
	ca, err := New(o.Name)
	if err != nil {
		return nil, "", err
	}
	if cert, err = ca.Issue(hosts); err != nil {
		return nil, "", err
	}
	if err := ca.WriteCertPEM(o.CAOut); err != nil {
		return nil, "", err
	}
	return ServerConfig(cert), o.CAOut, nil
}
