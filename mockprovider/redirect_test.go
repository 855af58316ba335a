package mockprovider_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

const (
	exact    = mockprovider.PolicyExact
	loopback = mockprovider.PolicyLoopbackAnyPort
	noQuery  = mockprovider.PolicyIgnoreQuery
	prefix   = mockprovider.PolicyPrefix
	noScheme = mockprovider.PolicySchemeInsensitive
	substr   = mockprovider.PolicySubstring
	anyURI   = mockprovider.PolicyAny
)

func TestRedirectPolicyMatch(t *testing.T) {
	t.Parallel()
	const seed = mockprovider.SeedRedirectURI
	all := mockprovider.RedirectPolicies()
	tests := []struct {
		name                 string
		registered, presente string
		accepts              []mockprovider.RedirectPolicy
	}{
		{"identical", seed, seed, all},
		{"identical loopback", "http://127.0.0.1:8000/cb", "http://127.0.0.1:8000/cb", all},
		{"https for http", seed, "https://localhost:8000/authorized", []mockprovider.RedirectPolicy{noScheme, anyURI}},
		{"http for https, uppercase", "https://app.example/cb", "HTTP://app.example/cb", []mockprovider.RedirectPolicy{noScheme, anyURI}},
		{"no scheme at all", seed, "localhost:8000/authorized", []mockprovider.RedirectPolicy{anyURI}},
		{"scheme-relative", seed, "//localhost:8000/authorized", []mockprovider.RedirectPolicy{anyURI}},
		{"ftp for http", seed, "ftp://localhost:8000/authorized", []mockprovider.RedirectPolicy{anyURI}},
		{"added query", seed, seed + "?x=1", []mockprovider.RedirectPolicy{noQuery, prefix, substr, anyURI}},
		{"other query", "http://localhost:8000/cb?x=1", "http://localhost:8000/cb?y=2", []mockprovider.RedirectPolicy{noQuery, anyURI}},
		{"added fragment", seed, seed + "#f", []mockprovider.RedirectPolicy{prefix, substr, anyURI}},
		{"longer path", seed, seed + "/x", []mockprovider.RedirectPolicy{prefix, substr, anyURI}},
		{"host suffix", seed, "http://localhost:8000/authorized.evil.example", []mockprovider.RedirectPolicy{prefix, substr, anyURI}},
		{"inside another URI", seed, "http://evil.example/?r=" + seed, []mockprovider.RedirectPolicy{substr, anyURI}},
		{"other port on localhost", seed, "http://localhost:8001/authorized", []mockprovider.RedirectPolicy{anyURI}},
		{"other port on 127.0.0.1", "http://127.0.0.1:8000/cb", "http://127.0.0.1:51234/cb", []mockprovider.RedirectPolicy{loopback, anyURI}},
		{"other port on [::1]", "http://[::1]:8000/cb", "http://[::1]:9/cb", []mockprovider.RedirectPolicy{loopback, anyURI}},
		{"port on 127.0.0.1 registered without one", "http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", []mockprovider.RedirectPolicy{loopback, anyURI}},
		{"no port on 127.0.0.1 registered with one", "http://127.0.0.1:8000/cb", "http://127.0.0.1/cb", []mockprovider.RedirectPolicy{loopback, anyURI}},
		{"other port with query", "http://127.0.0.1:8000/cb?a=1", "http://127.0.0.1:9000/cb?a=1", []mockprovider.RedirectPolicy{loopback, anyURI}},
		{"other port, https", "https://127.0.0.1:8000/cb", "https://127.0.0.1:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, https presented", "http://127.0.0.1:8000/cb", "https://127.0.0.1:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, other path", "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/other", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, path prefix", "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb/x", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, other loopback address", "http://127.0.0.1:8000/cb", "http://127.0.0.2:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, localhost presented", "http://127.0.0.1:8000/cb", "http://localhost:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, other query", "http://127.0.0.1:8000/cb?a=1", "http://127.0.0.1:9000/cb?a=2", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, userinfo", "http://127.0.0.1:8000/cb", "http://user@127.0.0.1:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, fragment", "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb#x", []mockprovider.RedirectPolicy{anyURI}},
		{"other port, non-loopback IP", "http://192.0.2.1:8000/cb", "http://192.0.2.1:9000/cb", []mockprovider.RedirectPolicy{anyURI}},
		{"empty", seed, "", []mockprovider.RedirectPolicy{anyURI}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, p := range all {
				assert.Equal(t, slices.Contains(tt.accepts, p), p.Match(tt.registered, tt.presente), "policy %s", p)
			}
		})
	}
}

func TestRedirectPolicies(t *testing.T) {
	t.Parallel()
	all := mockprovider.RedirectPolicies()
	assert.Equal(t, []mockprovider.RedirectPolicy{exact, loopback, noQuery, prefix, noScheme, substr, anyURI}, all)
	for _, p := range all {
		got, err := mockprovider.ParseRedirectPolicy(string(p))
		require.NoError(t, err)
		assert.Equal(t, p, got)
		assert.Equal(t, p == exact || p == loopback, p.Conformant(), p)
		assert.NotEqual(t, "unknown policy", p.About())
	}
	_, err := mockprovider.ParseRedirectPolicy("Exact")
	assert.ErrorContains(t, err, "known: exact, loopback-any-port")
	unknown := mockprovider.RedirectPolicy("nope")
	assert.False(t, unknown.Conformant())
	assert.Equal(t, "unknown policy", unknown.About())
	assert.False(t, unknown.Match("http://a/cb", "http://a/cb/"))
}

func TestAnalyzeRedirect(t *testing.T) {
	t.Parallel()
	const seed = mockprovider.SeedRedirectURI
	tests := []struct {
		registered, presented string
		components            string
	}{
		{seed, seed, ""},
		{seed, "https://localhost:8000/authorized", "scheme"},
		{seed, "HTTP://localhost:8000/authorized", "scheme"},
		{seed, "http://alice@localhost:8000/authorized", "userinfo"},
		{seed, "http://127.0.0.1:8000/authorized", "host"},
		{seed, "http://Localhost:8000/authorized", "host"},
		{seed, "http://localhost:8001/authorized", "port"},
		{seed, "http://localhost/authorized", "port"},
		{seed, "http://localhost:8000/authorized/", "path"},
		{seed, "http://localhost:8000/%61uthorized", "path"},
		{seed, "http://localhost:8000/authorized?a=1", "query"},
		{seed, "http://localhost:8000/authorized#top", "fragment"},
		{seed, "http://localhost:8000/authorized?", "spelling"},
		{seed, "http://localhost:8000/authorized#", "spelling"},
		{seed, "https://evil.example/authorized?x", "scheme, host, port, query"},
		{"http://[::1]:8000/cb", "http://[::1]:9000/cb", "port"},
		{"urn:ietf:wg:oauth:2.0:oob", "urn:ietf:wg:oauth:2.0:oob:auto", "path"},
	}
	for _, tt := range tests {
		t.Run(tt.presented, func(t *testing.T) {
			t.Parallel()
			a, err := mockprovider.AnalyzeRedirect(tt.registered, tt.presented)
			require.NoError(t, err)
			assert.Equal(t, tt.components, a.Components())
			assert.Equal(t, tt.registered, a.Registered)
			assert.Equal(t, tt.presented, a.Presented)
			assert.Equal(t, tt.registered == tt.presented, a.Accepted(exact))
			require.Len(t, a.Verdicts, len(mockprovider.RedirectPolicies()))
			for _, v := range a.Verdicts {
				assert.Equal(t, v.Policy.Match(tt.registered, tt.presented), v.Accepts, v.Policy)
				assert.Equal(t, v.Policy.Conformant(), v.Conformant)
			}
			for _, d := range a.Differences {
				assert.NotEqual(t, d.Registered, d.Presented, d.Component)
			}
		})
	}
	parts, err := mockprovider.SplitURI("HTTP://u:p@Host.example:8080/a%2Fb?q=1#f")
	require.NoError(t, err)
	assert.Equal(t, mockprovider.URIParts{Scheme: "HTTP", Userinfo: "u:p", Host: "Host.example", Port: "8080", Path: "/a%2Fb", Query: "q=1", Fragment: "f"}, parts)

	for _, bad := range [][2]string{{"/cb", seed}, {seed, "/cb"}, {seed, ""}, {seed, "http://a/\x00"}, {seed, "http://[::1/cb"}} {
		_, err := mockprovider.AnalyzeRedirect(bad[0], bad[1])
		assert.Error(t, err, "%q vs %q", bad[0], bad[1])
	}
}

// TestRedirectPolicyQuirksAtAuthorize checks that the redirect quirks and
// per-client policies are used by the authorization endpoint.
func TestRedirectPolicyAtAuthorize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      []mockprovider.Option
		presented string
		accepted  bool
	}{
		{"exact refuses a prefix", nil, mockprovider.SeedRedirectURI + "/x", false},
		{"prefix quirk accepts it", []mockprovider.Option{mockprovider.WithQuirks(mockprovider.QuirkRedirectPrefixMatch)}, mockprovider.SeedRedirectURI + "/x", true},
		{"provider policy", []mockprovider.Option{mockprovider.WithRedirectPolicy(noQuery)}, mockprovider.SeedRedirectURI + "?x=1", true},
		{"loopback client policy", []mockprovider.Option{mockprovider.WithClient(mockprovider.Client{
			ID: "native", Secret: "s", Scopes: []string{"email"}, RedirectURIs: []string{"http://127.0.0.1/cb"}, RedirectPolicy: loopback,
		})}, "http://127.0.0.1:43210/cb", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, tt.opts...)
			clientID := mockprovider.SeedClientID
			if strings.Contains(tt.presented, "127.0.0.1") {
				clientID = "native"
			}
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			res := b.get("/oauth/authorize?" + seedParams("client_id", clientID, "redirect_uri", tt.presented).Encode())
			if !tt.accepted {
				assertErrorPage(t, res, "Redirect URI mismatch")
				return
			}
			require.Equal(t, http.StatusOK, res.Status, res.Body)
			res = b.consent(res, "yes")
			require.Equal(t, http.StatusFound, res.Status)
			code := callbackParams(t, res.location(), tt.presented).Get("code")
			// The token request must repeat the presented URI.
			tokens(t, exchange(t, srv.URL, tokenClient{id: clientID, secret: secretOf(srv, clientID)}, code, tt.presented))
		})
	}
}

func secretOf(srv *mockprovider.Server, id string) string {
	for _, c := range srv.Clients() {
		if c.ID == id {
			return c.Secret
		}
	}
	return ""
}

func FuzzRedirectExact(f *testing.F) {
	for _, s := range [][2]string{
		{mockprovider.SeedRedirectURI, mockprovider.SeedRedirectURI},
		{mockprovider.SeedRedirectURI, "https://localhost:8000/authorized"},
		{mockprovider.SeedRedirectURI, "http://localhost:8000/authorized?"},
		{"http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb"},
		{"http://[::1]/cb", "http://[::1]:1/cb"},
		{"urn:x", "urn:y"},
		{"", "/"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, registered, presented string) {
		same := registered == presented
		for _, p := range mockprovider.RedirectPolicies() {
			m := p.Match(registered, presented)
			if same && !m {
				t.Fatalf("%s refuses identical URIs %q", p, registered)
			}
		}
		if got := exact.Match(registered, presented); got != same {
			t.Fatalf("exact.Match(%q, %q) = %v", registered, presented, got)
		}
		a, err := mockprovider.AnalyzeRedirect(registered, presented)
		if err != nil {
			return
		}
		if !same && (len(a.Differences) == 0 || a.Components() == "") {
			t.Fatalf("AnalyzeRedirect(%q, %q) names no differing component", registered, presented)
		}
		if same && len(a.Differences) != 0 {
			t.Fatalf("AnalyzeRedirect(%q, %q) names differences %q", registered, presented, a.Components())
		}
		if a.Accepted(exact) != same {
			t.Fatalf("the exact verdict on %q, %q is %v", registered, presented, a.Accepted(exact))
		}
		for _, v := range a.Verdicts {
			if v.Accepts != v.Policy.Match(registered, presented) {
				t.Fatalf("verdict of %s differs from Match", v.Policy)
			}
		}
	})
}
