package providerspec

import (
	"crypto/tls"
	"net/http"
	"path/filepath"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

// loadCA reads the target's ca_file (PEM; relative to the target file's
// folder) into RootCAs: the system's roots plus the file's certificates.
func (s *Spec) loadCA() error {
	if s.CAFile == "" {
		return nil
	}
	path := s.CAFile
	if !filepath.IsAbs(path) && s.File != "" {
		path = filepath.Join(filepath.Dir(s.File), path)
	}
	pool, err := devca.CertPool(path)
	if err != nil {
		return fieldErr("ca_file", "%v", err)
	}
	s.RootCAs = pool
	return nil
}

// Transport is an HTTP transport for the probes of one run: its own
// connections (httptest servers closing elsewhere in the process close
// http.DefaultTransport's idle ones), no proxy from the environment, and
// the target's ca_file trusted.
func (s *Spec) Transport() *http.Transport {
	tr := &http.Transport{MaxIdleConnsPerHost: 8, ForceAttemptHTTP2: true}
	if s.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
	}
	return tr
}

// HTTPClient is a client for the launcher's own requests to the
// provider (discovery, the clock), trusting its ca_file.
func (s *Spec) HTTPClient() *http.Client {
	if s.RootCAs == nil {
		return http.DefaultClient
	}
	return &http.Client{Transport: s.Transport()}
}
