package browser_test

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

// TestTrustSPKI: a browser given the keys a private CA vouched for opens
// that provider's pages, and still refuses a server the CA did not sign.
func TestTrustSPKI(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<title>provider</title>signed in"))
	})
	ca, err := devca.New("dsra test CA")
	require.NoError(t, err)
	cert, err := ca.Issue([]string{"127.0.0.1", "localhost"})
	require.NoError(t, err)
	provider := httptest.NewUnstartedServer(page)
	provider.TLS = devca.ServerConfig(cert)
	provider.StartTLS()
	defer provider.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ca.Certificate())
	stranger := httptest.NewTLSServer(page) // httptest's own certificate
	defer stranger.Close()

	hashes, err := browser.SPKIHashes(t.Context(), roots, []string{provider.URL, "http://127.0.0.1:1"})
	require.NoError(t, err)
	require.Len(t, hashes, 1, "one https origin")
	_, err = browser.SPKIHashes(t.Context(), roots, []string{stranger.URL})
	assert.ErrorContains(t, err, "does not verify against ca_file")

	trusting, err := browser.Launch(t.Context(), browser.Options{LoopbackOnly: true, TrustSPKI: hashes})
	require.NoError(t, err)
	defer trusting.Close()
	plain, err := browser.Launch(t.Context(), browser.Options{LoopbackOnly: true})
	require.NoError(t, err)
	defer plain.Close()

	for _, tt := range []struct {
		name string
		b    *browser.Browser
		url  string
		ok   bool
	}{
		{"trusted CA", trusting, provider.URL, true},
		{"another certificate", trusting, stranger.URL, false},
		{"no trust given", plain, provider.URL, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.b.NewSession(t.Context())
			require.NoError(t, err)
			defer s.Close()
			err = s.Navigate(tt.url)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			var nav *browser.NavigationError
			require.ErrorAs(t, err, &nav)
			assert.Contains(t, nav.Reason, "ERR_CERT")
		})
	}
}
