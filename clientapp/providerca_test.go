package clientapp_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestProviderCA signs in against a provider served over HTTPS with a
// certificate of a development CA: with ProviderCA naming the CA file the
// App trusts it, without it the token request fails on the certificate.
func TestProviderCA(t *testing.T) {
	t.Parallel()
	var p *mockprovider.Provider
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.ServeHTTP(w, r) }))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	tlsConfig, _, err := devca.ServerOptions{Generate: true, Listen: ts.Listener.Addr().String(), CAOut: caFile, Name: "test"}.Config()
	require.NoError(t, err)
	ts.TLS = tlsConfig
	p, err = mockprovider.New(mockprovider.WithIssuer("https://" + ts.Listener.Addr().String()))
	require.NoError(t, err)
	ts.StartTLS()
	t.Cleanup(ts.Close)

	signIn := func(cfg clientapp.Config) *http.Response {
		app := newApp(t, cfg)
		authURL, state := startSignIn(t, app)
		back, err := p.Authorize("alice", authURL.String())
		require.NoError(t, err)
		return serve(app, http.MethodGet, back.RequestURI(), state)
	}
	cfg := clientapp.ConfigFromProviderURL(ts.URL)
	cfg.ClientID, cfg.ClientSecret = mockprovider.SeedClientID, mockprovider.SeedClientSecret
	cfg.ProviderCA = caFile
	resp := signIn(cfg)
	assert.Equal(t, http.StatusOK, resp.StatusCode, body(t, resp))

	cfg.ProviderCA = ""
	resp = signIn(cfg)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Contains(t, body(t, resp), "certificate")

	cfg.ProviderCA, cfg.HTTPClient = caFile, http.DefaultClient
	_, err = clientapp.New(cfg)
	assert.ErrorContains(t, err, "ProviderCA or HTTPClient")
	cfg.HTTPClient, cfg.ProviderCA = nil, filepath.Join(t.TempDir(), "missing.pem")
	_, err = clientapp.New(cfg)
	assert.ErrorContains(t, err, "PROVIDER_CA")
}
