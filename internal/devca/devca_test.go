package devca_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

func TestIssuedCertificateVerifiesForItsHosts(t *testing.T) {
	ca, err := devca.New("test CA")
	require.NoError(t, err)
	cert, err := ca.Issue([]string{"localhost", "127.0.0.1", "::1"})
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(ca.CertPEM()))
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		_, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots})
		assert.NoError(t, err, host)
	}
	_, err = cert.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots})
	assert.Error(t, err, "a host the certificate does not name")

	other, err := devca.New("another CA")
	require.NoError(t, err)
	foreign := x509.NewCertPool()
	foreign.AddCert(other.Certificate())
	_, err = cert.Leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: foreign})
	assert.Error(t, err, "a client trusting another CA")
}

func TestIssueNeedsAHost(t *testing.T) {
	ca, err := devca.New("test CA")
	require.NoError(t, err)
	_, err = ca.Issue(nil)
	assert.Error(t, err)
}

func TestListenHosts(t *testing.T) {
	host, err := os.Hostname()
	require.NoError(t, err)
	for _, tc := range []struct {
		addr  string
		extra []string
		want  []string
	}{
		{"127.0.0.1:9000", nil, []string{"127.0.0.1", "localhost", "::1"}},
		{"localhost:9000", nil, []string{"localhost", "127.0.0.1", "::1"}},
		{"[::1]:9000", nil, []string{"::1", "localhost", "127.0.0.1"}},
		{"0.0.0.0:9000", nil, []string{"localhost", "127.0.0.1", "::1", host}},
		{":9000", []string{"https://auth.example.test:8443/x"}, []string{"localhost", "127.0.0.1", "::1", host, "auth.example.test"}},
		{"10.1.2.3:443", []string{"https://10.1.2.3"}, []string{"10.1.2.3"}},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			got, err := devca.ListenHosts(tc.addr, tc.extra...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	for _, bad := range [][2]string{{"no-port", ""}, {"127.0.0.1:1", "not a url"}} {
		_, err := devca.ListenHosts(bad[0], bad[1])
		assert.Error(t, err, bad)
	}
}

// TestServerOptionsServeHTTPS serves with a generated certificate and
// connects with a client that trusts only the CA file written.
func TestServerOptionsServeHTTPS(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello over TLS")
	}))
	cfg, written, err := devca.ServerOptions{Generate: true, Listen: srv.Listener.Addr().String(), CAOut: caFile, Name: "test"}.Config()
	require.NoError(t, err)
	require.Equal(t, caFile, written)
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	pool, err := devca.CertPool(caFile)
	require.NoError(t, err)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(srv.URL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "hello over TLS", string(body))

	plain := &http.Client{Transport: &http.Transport{}}
	defer plain.CloseIdleConnections()
	_, err = plain.Get(srv.URL)
	assert.Error(t, err, "a client that does not trust the CA")
}

func TestServerOptionsOwnCertificate(t *testing.T) {
	dir := t.TempDir()
	ca, err := devca.New("own")
	require.NoError(t, err)
	cert, err := ca.Issue([]string{"localhost"})
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	require.NoError(t, err)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))

	cfg, caOut, err := devca.ServerOptions{Generate: true, CertFile: certFile, KeyFile: keyFile, Listen: "127.0.0.1:0"}.Config()
	require.NoError(t, err)
	assert.Empty(t, caOut, "no CA is generated when the user brings a certificate")
	require.Len(t, cfg.Certificates, 1)

	for _, tc := range []devca.ServerOptions{
		{CertFile: certFile},
		{KeyFile: keyFile},
		{CertFile: keyFile, KeyFile: certFile},
		{CertFile: filepath.Join(dir, "missing"), KeyFile: keyFile},
		{Generate: true, Listen: "127.0.0.1:0"},
	} {
		_, _, err := tc.Config()
		assert.Error(t, err, "%+v", tc)
	}
	cfg, _, err = devca.ServerOptions{}.Config()
	assert.NoError(t, err)
	assert.Nil(t, cfg, "HTTPS off")
}

func TestCertPoolRefusesAFileWithoutCertificates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.pem")
	require.NoError(t, os.WriteFile(path, []byte("not a certificate\n"), 0o644))
	_, err := devca.CertPool(path)
	assert.ErrorContains(t, err, "holds no PEM certificate")
	_, err = devca.CertPool(filepath.Join(t.TempDir(), "missing.pem"))
	assert.Error(t, err)
}
