package mockprovider_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// profileCase is one documented example: the registered and presented
// URIs, whether the provider accepts, and the rule that decides.
type profileCase struct {
	name                  string
	registered, presented string
	accepts               bool
	rule                  string
}

func runProfileCases(t *testing.T, name mockprovider.RedirectPolicy, cases []profileCase) {
	t.Helper()
	p, ok := mockprovider.LookupRedirectProfile(name)
	require.True(t, ok, name)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := p.Judge(tt.registered, tt.presented)
			assert.Equal(t, tt.accepts, d.Accepts, "%s: %s", d.Rule, d.Reason)
			assert.Equal(t, tt.rule, d.Rule, d.Reason)
			assert.NotEmpty(t, d.Reason)
			if d.Accepts {
				assert.NotEmpty(t, d.RedirectTo)
			} else {
				assert.Empty(t, d.RedirectTo)
			}
		})
	}
}

// TestProfileGitHub holds GitHub's own examples ("CALLBACK:
// http://example.com/path", GOOD and BAD) and its loopback example.
func TestProfileGitHub(t *testing.T) {
	t.Parallel()
	const cb = "http://example.com/path"
	runProfileCases(t, "github", []profileCase{
		{"GOOD identical", cb, "http://example.com/path", true, "github/exact-match"},
		{"GOOD sub-directory", cb, "http://example.com/path/subdir/other", true, "github/sub-path"},
		{"GOOD subdomain", cb, "http://oauth.example.com/path", true, "github/subdomain"},
		{"GOOD subdomain and sub-directory", cb, "http://oauth.example.com/path/subdir/other", true, "github/subdomain, github/sub-path"},
		{"BAD other path", cb, "http://example.com/bar", false, "github/path"},
		{"BAD root", cb, "http://example.com/", false, "github/path"},
		{"BAD port", cb, "http://example.com:8080/path", false, "github/port"},
		{"BAD subdomain with port", cb, "http://oauth.example.com:8080/path", false, "github/port"},
		{"BAD other domain", cb, "http://example.org", false, "github/host"},
		{"loopback any port", "http://127.0.0.1/path", "http://127.0.0.1:1234/path", true, "github/loopback-port"},
		{"localhost is not a loopback IP", "http://localhost/path", "http://localhost:1234/path", false, "github/port"},
		{"a prefix is not a sub-directory", cb, "http://example.com/pathology", false, "github/path"},
		{"encoded traversal leaves the directory", cb, "http://example.com/path/%2E%2E/evil", false, "github/path"},
		{"traversal that stays inside", cb, "http://example.com/path/a/../b", true, "github/sub-path"},
		{"scheme is compared", cb, "https://example.com/path", false, "github/exact-match"},
		{"query is compared", cb, "http://example.com/path?x=1", false, "github/exact-match"},
		{"suffix host is not a subdomain", cb, "http://evilexample.com/path", false, "github/host"},
		{"userinfo trick", cb, "http://example.com@evil.example/path", false, "github/exact-match"},
		{"no subdomains of an IP", "http://127.0.0.1/path", "http://x.127.0.0.1/path", false, "github/host"},
		{"not a URI", cb, "/path", false, "github/not-a-uri"},
	})
}

// TestProfileGoogle holds Google's exact-match rule and its redirect URI
// validation rules, one case per rule.
func TestProfileGoogle(t *testing.T) {
	t.Parallel()
	const cb = "https://app.example.com/oauth2callback"
	runProfileCases(t, "google", []profileCase{
		{"exact", cb, cb, true, "google/exact-match"},
		{"trailing slash must match", cb, cb + "/", false, "google/exact-match"},
		{"case must match", cb, "https://app.example.com/OAuth2Callback", false, "google/exact-match"},
		{"scheme must match", cb, "http://app.example.com/oauth2callback", false, "google/exact-match"},
		{"http on localhost is allowed", "http://localhost:8000/authorized", "http://localhost:8000/authorized", true, "google/exact-match"},
		{"http on 127.0.0.1 is allowed", "http://127.0.0.1:8000/cb", "http://127.0.0.1:8000/cb", true, "google/exact-match"},
		{"http elsewhere cannot be registered", "http://app.example.com/cb", "http://app.example.com/cb", false, "google/registration-scheme"},
		{"raw IP host", "https://192.0.2.1/cb", "https://192.0.2.1/cb", false, "google/registration-host"},
		{"googleusercontent.com", "https://x.googleusercontent.com/cb", "https://x.googleusercontent.com/cb", false, "google/registration-domain"},
		{"userinfo", "https://u@app.example.com/cb", "https://u@app.example.com/cb", false, "google/registration-userinfo"},
		{"path traversal", "https://app.example.com/a/../cb", "https://app.example.com/a/../cb", false, "google/registration-path"},
		{"encoded path traversal", "https://app.example.com/a/%2E%2E/cb", "https://app.example.com/a/%2E%2E/cb", false, "google/registration-path"},
		{"fragment", "https://app.example.com/cb#x", "https://app.example.com/cb#x", false, "google/registration-fragment"},
		{"wildcard", "https://app.example.com/*", "https://app.example.com/*", false, "google/registration-characters"},
		{"invalid percent encoding", "https://app.example.com/%zz", "https://app.example.com/x", false, "google/registration-not-a-uri"},
		{"null character", "https://app.example.com/a%00b", "https://app.example.com/a%00b", false, "google/registration-characters"},
		{"other port on localhost", "http://localhost:8000/authorized", "http://localhost:8001/authorized", false, "google/exact-match"},
	})
}

// TestProfileGoogleNative holds the desktop app loopback forms.
func TestProfileGoogleNative(t *testing.T) {
	t.Parallel()
	runProfileCases(t, "google-native", []profileCase{
		{"127.0.0.1 any port", "http://127.0.0.1", "http://127.0.0.1:51004", true, "google-native/loopback-any-port"},
		{"[::1] any port", "http://[::1]:8080/", "http://[::1]:61023/", true, "google-native/loopback-any-port"},
		{"localhost any port", "http://localhost:8000/authorized", "http://localhost:8001/authorized", true, "google-native/loopback-any-port"},
		{"identical", "http://127.0.0.1:5000/", "http://127.0.0.1:5000/", true, "google-native/exact-match"},
		{"path is compared", "http://127.0.0.1/cb", "http://127.0.0.1:9/other", false, "google-native/exact-match"},
		{"https is not the loopback form", "http://127.0.0.1/cb", "https://127.0.0.1:9/cb", false, "google-native/loopback"},
		{"a web URI is not the loopback form", "https://app.example.com/cb", "https://app.example.com/cb", false, "google-native/registration-loopback"},
		{"127.0.0.1 and localhost do not cross", "http://127.0.0.1/cb", "http://localhost:9/cb", false, "google-native/exact-match"},
	})
}

// TestProfileEntra holds the examples of "Redirect URI (reply URL)
// restrictions and limitations".
func TestProfileEntra(t *testing.T) {
	t.Parallel()
	runProfileCases(t, "entra", []profileCase{
		{"https", "https://contoso.com/abc/response-oidc", "https://contoso.com/abc/response-oidc", true, "entra/exact-match"},
		{"path is case-sensitive", "https://contoso.com/abc/response-oidc", "https://contoso.com/ABC/response-oidc", false, "entra/exact-match"},
		{"localhost port ignored", "http://localhost/MyApp", "http://localhost:1234/MyApp", true, "entra/localhost-port-ignored"},
		{"localhost port ignored both ways", "http://localhost:5000/MyApp", "http://localhost:8080/MyApp", true, "entra/localhost-port-ignored"},
		{"127.0.0.1 port ignored", "http://127.0.0.1/MyApp", "http://127.0.0.1:5000/MyApp", true, "entra/localhost-port-ignored"},
		{"localhost path differs", "http://localhost/MyWebApp", "http://localhost:5000/MyNativeApp", false, "entra/exact-match"},
		{"https on localhost is registrable", "https://localhost/myApp", "https://localhost/myApp", true, "entra/exact-match"},
		{"http elsewhere", "http://contoso.com/abc/response-oidc", "http://contoso.com/abc/response-oidc", false, "entra/registration-scheme"},
		{"IPv6 loopback unsupported", "http://[::1]/cb", "http://[::1]/cb", false, "entra/registration-ipv6-loopback"},
		{"special characters", "https://contoso.com/a(b)", "https://contoso.com/a(b)", false, "entra/registration-characters"},
		{"longer than 256 characters", "https://contoso.com/" + longPath(240), "https://contoso.com/" + longPath(240), false, "entra/registration-length"},
		{"wildcard not modelled", "https://*.contoso.com/cb", "https://a.contoso.com/cb", false, "entra/registration-wildcard"},
		{"other port elsewhere", "https://contoso.com:443/cb", "https://contoso.com:8443/cb", false, "entra/exact-match"},
		{"query is compared", "https://contoso.com/cb?a=1", "https://contoso.com/cb?a=2", false, "entra/exact-match"},
	})
	p, _ := mockprovider.LookupRedirectProfile("entra")
	for reg, want := range map[string]string{
		"https://contoso.com":       "https://contoso.com/",
		"http://localhost:7071":     "http://localhost:7071/",
		"https://contoso.com/abc":   "https://contoso.com/abc",
		"https://contoso.com?x=1":   "https://contoso.com/?x=1",
		"https://contoso.com/abc/r": "https://contoso.com/abc/r",
	} {
		d := p.Judge(reg, reg)
		require.True(t, d.Accepts, reg)
		assert.Equal(t, want, d.RedirectTo, "the response for %s", reg)
	}
	d := p.Judge("http://localhost", "http://localhost:7071")
	require.True(t, d.Accepts)
	assert.Equal(t, "http://localhost:7071/", d.RedirectTo)
}

func longPath(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

// TestProfileKeycloak holds the guide's rules and the source's details.
func TestProfileKeycloak(t *testing.T) {
	t.Parallel()
	const w = "http://host.com/path/*"
	runProfileCases(t, "keycloak", []profileCase{
		{"exact", "http://host.com/cb", "http://host.com/cb", true, "keycloak/exact-match"},
		{"case-sensitive", "http://host.com/cb", "http://host.com/CB", false, "keycloak/exact-match"},
		{"wildcard below the path", w, "http://host.com/path/a/b", true, "keycloak/wildcard"},
		{"wildcard: the path itself", w, "http://host.com/path", true, "keycloak/wildcard"},
		{"wildcard ignores the query", w, "http://host.com/path/x?y=1", true, "keycloak/wildcard"},
		{"wildcard: other path", w, "http://host.com/other", false, "keycloak/wildcard"},
		{"wildcard: parent directory", w, "http://host.com/path/../admin", false, "keycloak/wildcard-parent-directory"},
		{"wildcard: encoded parent directory", w, "http://host.com/path/%2e%2e/admin", false, "keycloak/wildcard-parent-directory"},
		{"wildcard: userinfo", w, "http://u@host.com/path/x", false, "keycloak/wildcard-userinfo"},
		{"? turns the wildcard off", "http://host.com/path?a=1*", "http://host.com/path?a=1x", false, "keycloak/wildcard-with-query"},
		{"no host wildcard", "http://*.host.com/cb", "http://a.host.com/cb", false, "keycloak/exact-match"},
		{"full wildcard accepts http", "*", "http://anything.example/x", true, "keycloak/full-wildcard"},
		{"full wildcard accepts https", "*", "https://anything.example/x", true, "keycloak/full-wildcard"},
		{"full wildcard refuses other schemes", "*", "javascript:alert(1)", false, "keycloak/full-wildcard"},
		{"not a URI", w, "/path/x", false, "keycloak/not-a-uri"},
	})
}

// TestProfileHydra holds fosite's cases (authorize_helper_test.go
// covers the same shapes).
func TestProfileHydra(t *testing.T) {
	t.Parallel()
	runProfileCases(t, "hydra", []profileCase{
		{"exact", "https://app.example/cb", "https://app.example/cb", true, "hydra/exact-match"},
		{"case matters", "https://app.example/cb", "https://app.example/CB", false, "hydra/exact-match"},
		{"127.0.0.1 any port", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true, "hydra/loopback-any-port"},
		{"[::1] any port", "http://[::1]:80/cb", "http://[::1]:61023/cb", true, "hydra/loopback-any-port"},
		{"localhost is not a loopback IP", "http://localhost:8000/cb", "http://localhost:8001/cb", false, "hydra/exact-match"},
		{"loopback path must match", "http://127.0.0.1/cb", "http://127.0.0.1:9/other", false, "hydra/exact-match"},
		{"loopback query must match", "http://127.0.0.1/cb?a=1", "http://127.0.0.1:9/cb?a=2", false, "hydra/exact-match"},
		{"loopback https presented", "http://127.0.0.1/cb", "https://127.0.0.1:9/cb", false, "hydra/exact-match"},
		{"registered scheme is not compared", "https://127.0.0.1/cb", "http://127.0.0.1:9/cb", true, "hydra/loopback-any-port"},
		{"fragment", "https://app.example/cb", "https://app.example/cb#x", false, "hydra/fragment"},
	})
	// The variants the redirect/ checks present to the Hydra target, whose
	// client registers http://127.0.0.1:8000/authorized. On Ory Hydra
	// v2.3.0 (conformance run --target hydra --only 'redirect/*') only the
	// other port reached the callback; the profile agrees on every one.
	const r = "http://127.0.0.1:8000/authorized"
	runProfileCases(t, "hydra", []profileCase{
		{"observed: other port", r, "http://127.0.0.1:8001/authorized", true, "hydra/loopback-any-port"},
		{"observed: https", r, "https://127.0.0.1:8000/authorized", false, "hydra/exact-match"},
		{"observed: localhost", r, "http://localhost:8000/authorized", false, "hydra/exact-match"},
		{"observed: other path", r, "http://127.0.0.1:8000/elsewhere", false, "hydra/exact-match"},
		{"observed: path suffix", r, r + "/evil", false, "hydra/exact-match"},
		{"observed: trailing slash", r, r + "/", false, "hydra/exact-match"},
		{"observed: path case", r, "http://127.0.0.1:8000/AUTHORIZED", false, "hydra/exact-match"},
		{"observed: query", r, r + "?injected=1", false, "hydra/exact-match"},
		{"observed: fragment", r, r + "#injected", false, "hydra/fragment"},
		{"observed: userinfo trick", r, "http://127.0.0.1:8000@evil.example/authorized", false, "hydra/exact-match"},
		{"observed: encoded traversal", r, r + "/%2E%2E/evil", false, "hydra/exact-match"},
	})
}

// TestProfileOIDCProvider holds oidc-provider's web and native cases.
func TestProfileOIDCProvider(t *testing.T) {
	t.Parallel()
	runProfileCases(t, "oidc-provider", []profileCase{
		{"exact", "https://rp.example/cb", "https://rp.example/cb", true, "oidc-provider/exact-match"},
		{"no port rule for web clients", "http://localhost:8000/cb", "http://localhost:8001/cb", false, "oidc-provider/exact-match"},
		{"fragment cannot be registered", "https://rp.example/cb#f", "https://rp.example/cb#f", false, "oidc-provider/registration-fragment"},
		{"web clients use web URIs", "com.example.app:/cb", "com.example.app:/cb", false, "oidc-provider/registration-scheme"},
	})
	runProfileCases(t, "oidc-provider-native", []profileCase{
		{"localhost any port", "http://localhost:8000/cb", "http://localhost:8001/cb", true, "oidc-provider-native/loopback-any-port"},
		{"127.0.0.1 without port registered", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true, "oidc-provider-native/loopback-any-port"},
		{"[::1] any port", "http://[::1]:1/cb", "http://[::1]:2/cb", true, "oidc-provider-native/loopback-any-port"},
		{"loopback hosts do not cross", "http://127.0.0.1/cb", "http://localhost:9/cb", false, "oidc-provider-native/exact-match"},
		{"path must match", "http://127.0.0.1/cb", "http://127.0.0.1:9/cb/", false, "oidc-provider-native/exact-match"},
		{"custom scheme exact", "com.example.app:/cb", "com.example.app:/cb", true, "oidc-provider-native/exact-match"},
		{"http needs a loopback host", "http://rp.example/cb", "http://rp.example/cb", false, "oidc-provider-native/registration-loopback"},
		{"https must not use a loopback host", "https://localhost/cb", "https://localhost/cb", false, "oidc-provider-native/registration-loopback"},
	})
}

func TestProfileOmittedRedirect(t *testing.T) {
	t.Parallel()
	one, two := []string{"https://a.example/cb"}, []string{"https://a.example/cb", "https://a.example/other"}
	for _, tt := range []struct {
		profile    mockprovider.RedirectPolicy
		registered []string
		to         string
	}{
		{"github", one, "https://a.example/cb"},
		{"github", two, "https://a.example/cb"},
		{"google", one, ""},
		{"hydra", one, "https://a.example/cb"},
		{"hydra", two, ""},
		{"oidc-provider", one, "https://a.example/cb"},
		{"keycloak", two, ""},
	} {
		p, _ := mockprovider.LookupRedirectProfile(tt.profile)
		d := p.JudgeClient(tt.registered, "")
		assert.Equal(t, tt.to != "", d.Accepts, "%s with %d URIs: %s", tt.profile, len(tt.registered), d.Reason)
		assert.Equal(t, tt.to, d.RedirectTo)
		assert.Equal(t, string(tt.profile)+"/omitted-redirect-uri", d.Rule)
	}
}

func TestProfileJudgeClientPicksTheClosestRefusal(t *testing.T) {
	t.Parallel()
	p, _ := mockprovider.LookupRedirectProfile("github")
	d := p.JudgeClient([]string{"https://other.example/x", "https://a.example/cb"}, "https://a.example:8443/cb")
	assert.False(t, d.Accepts)
	assert.Equal(t, "github/port", d.Rule)
	d = p.JudgeClient([]string{"https://other.example/x", "https://a.example/cb"}, "https://a.example/cb/deeper")
	assert.True(t, d.Accepts)
	assert.Equal(t, "github/sub-path", d.Rule)
}

func TestProfileRegistry(t *testing.T) {
	t.Parallel()
	var names []mockprovider.RedirectPolicy
	for _, p := range mockprovider.RedirectProfiles() {
		names = append(names, p.Name)
		assert.NotEmpty(t, p.Provider)
		assert.NotEmpty(t, p.Summary)
		assert.Regexp(t, `^https://`, p.DocURL)
		got, ok := mockprovider.LookupRedirectProfile(p.Name)
		assert.True(t, ok)
		assert.Same(t, p, got)
		d := p.Judge("http://a/\x00", "http://a/")
		assert.False(t, d.Accepts)
	}
	assert.Equal(t, []mockprovider.RedirectPolicy{"github", "google", "google-native", "entra", "keycloak", "hydra",
		"oidc-provider", "oidc-provider-native"}, names)
	_, ok := mockprovider.LookupRedirectProfile("exact")
	assert.False(t, ok)
}
