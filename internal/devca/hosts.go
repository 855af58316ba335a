package devca

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
)

// ListenHosts returns the names a server certificate needs for a program
// listening on addr (host:port), plus the hosts of extra URLs (an issuer
// behind a proxy, say). A loopback or unspecified address (127.0.0.1,
// ::1, 0.0.0.0, "") gets localhost, 127.0.0.1 and ::1; an unspecified one
// also gets the machine's host name, for containers reached by name.
func ListenHosts(addr string, extra ...string) ([]string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("devca: listen address %q: %w", addr, err)
	}
	var hosts []string
	add := func(h string) {
		if h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	ip := net.ParseIP(host)
	switch {
	case host == "" || (ip != nil && ip.IsUnspecified()):
		add("localhost")
		add("127.0.0.1")
		add("::1")
		if name, err := os.Hostname(); err == nil {
			add(name)
		}
	case host == "localhost" || (ip != nil && ip.IsLoopback()):
		add(host)
		add("localhost")
		add("127.0.0.1")
		add("::1")
	default:
		add(host)
	}
	for _, raw := range extra {
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			return nil, fmt.Errorf("devca: %q is not an absolute URL", raw)
		}
		add(u.Hostname())
	}
	return hosts, nil
}

// ServerConfig returns a TLS configuration serving cert, TLS 1.2 or later.
func ServerConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// CertPool returns the system's trusted roots plus the certificates of
// the PEM file at path, e.g. the CA file a mock provider wrote.
func CertPool(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("devca: CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("devca: CA file %s holds no PEM certificate", path)
	}
	return pool, nil
}

// ErrKeyPairHalf is returned by [LoadKeyPair] when only one of the
// certificate and key files is given.
var ErrKeyPairHalf = errors.New("devca: give both the certificate and the key file, or neither")

// LoadKeyPair loads the user's own certificate chain and key (PEM files).
// Both empty returns ok=false.
func LoadKeyPair(certFile, keyFile string) (cert tls.Certificate, ok bool, err error) {
	switch {
	case certFile == "" && keyFile == "":
		return tls.Certificate{}, false, nil
	case certFile == "" || keyFile == "":
		return tls.Certificate{}, false, ErrKeyPairHalf
	}
	cert, err = tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, false, fmt.Errorf("devca: %s, %s: %w", certFile, keyFile, err)
	}
	return cert, true, nil
}
