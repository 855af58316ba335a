package clientapp_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// The tests' provider is the mock (imported by tests only: the App itself never depends on it).
// Its answers are deterministic, so the seed's page can be compared byte for byte, and its
// QueueError and QueueResponse drive the App's error paths.

const testUserJSON = `{"username": "alice", "email": "alice@example.com"}`

// newProvider starts the mock provider for one test.
func newProvider(t testing.TB, opts ...mockprovider.Option) *mockprovider.Server {
	t.Helper()
	return mockprovider.NewTestServer(t, opts...)
}

// testConfig is the seed client's configuration against srv.
func testConfig(srv *mockprovider.Server) clientapp.Config {
	cfg := clientapp.ConfigFromProviderURL(srv.URL)
	cfg.ClientID, cfg.ClientSecret = mockprovider.SeedClientID, mockprovider.SeedClientSecret
	cfg.HTTPClient = srv.Client()
	return cfg
}

// configFor is testConfig for a client registered with another redirect URL.
func configFor(srv *mockprovider.Server, redirectURL string) clientapp.Config {
	oc := srv.OAuth2Config(redirectURL)
	cfg := testConfig(srv)
	cfg.ClientID, cfg.ClientSecret, cfg.RedirectURL = oc.ClientID, oc.ClientSecret, redirectURL
	return cfg
}

// authorizeAt plays the browser's trip through the provider (alice signs in and approves) and
// returns the callback's path and query.
func authorizeAt(t *testing.T, srv *mockprovider.Server, authURL *url.URL) string {
	t.Helper()
	back, err := srv.Authorize("alice", authURL.String())
	require.NoError(t, err)
	return back.RequestURI()
}

// tokenRequests lists the requests the provider's token endpoint received.
func tokenRequests(srv *mockprovider.Server) []mockprovider.RequestRecord {
	return requestsTo(srv, mockprovider.PathToken)
}

func requestsTo(srv *mockprovider.Server, path string) []mockprovider.RequestRecord {
	var out []mockprovider.RequestRecord
	for _, r := range srv.Requests() {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// authMethod is how a token request authenticated the client: "basic" or "post".
func authMethod(r mockprovider.RequestRecord) string {
	if strings.HasPrefix(r.Authorization, "Basic ") {
		return "basic"
	}
	return "post"
}
