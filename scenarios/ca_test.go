package scenarios_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// httpsMock starts the mock provider on HTTPS with a certificate from a
// private CA, and returns its URL, a PEM file of the CA and the mock.
func httpsMock(t *testing.T) (string, string, *mockprovider.Provider) {
	ca, err := devca.New("dsra test CA")
	require.NoError(t, err)
	cert, err := ca.Issue([]string{"127.0.0.1", "localhost"})
	require.NoError(t, err)
	var handler http.Handler = http.NotFoundHandler()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	srv.TLS = devca.ServerConfig(cert)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	p, err := mockprovider.New(mockprovider.WithIssuer(srv.URL))
	require.NoError(t, err)
	handler = p
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, ca.WriteCertPEM(caFile))
	return srv.URL, caFile, p
}

// TestPrivateCA: a provider whose certificate a private CA signed is
// tested through ca_file: the probes trust it, and so does the browser,
// for exactly the keys the CA vouched for.
func TestPrivateCA(t *testing.T) {
	url, caFile, p := httpsMock(t)
	t.Setenv("PROVIDER_URL", url)
	t.Setenv("PROVIDER_CA_FILE", caFile)
	t.Setenv("CLIENT_SECRET", p.Clients()[0].Secret)
	t.Setenv("ALICE_PASSWORD", "wonderland")
	tg, err := providerspec.Load("../testdata/targets/ci.yaml")
	require.NoError(t, err)
	require.NotNil(t, tg.RootCAs)

	hashes, err := browser.SPKIHashes(t.Context(), tg.RootCAs, tg.Origins())
	require.NoError(t, err)
	b, err := browser.Launch(t.Context(), browser.Options{LoopbackOnly: true, TrustSPKI: hashes, Prepared: 2})
	require.NoError(t, err)
	defer b.Close()
	res := scenarios.Runner{Spec: tg, Browser: b, Parallel: 2,
		Scenarios: only(t, "redirect/exact-match", "code/refresh", "me/missing-token", "code/wrong-secret")}.Run(t.Context())
	for _, r := range res[:3] {
		assert.Equal(t, scenarios.Pass, r.Verdict, "%s: %s", r.ID, r.Reason)
	}
	assert.Equal(t, scenarios.XPass, res[3].Verdict, "listed in ci.yaml, and the mock sends WWW-Authenticate")

	// Without ca_file, nothing verifies.
	t.Setenv("PROVIDER_CA_FILE", "")
	tg, err = providerspec.Load("../testdata/targets/ci.yaml")
	require.NoError(t, err)
	res = scenarios.Runner{Spec: tg, Scenarios: only(t, "me/missing-token")}.Run(t.Context())
	assert.Equal(t, scenarios.Fail, res[0].Verdict)
	assert.Contains(t, res[0].Reason, "certificate")
}
