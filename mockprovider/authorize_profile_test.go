package mockprovider_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestProfileAtAuthorize runs authorization requests against a client
// whose redirect_policy is a provider profile: an accepted URI gets the
// code where that provider would send it and the token request repeats
// the presented URI; a refused one gets the mismatch page naming the
// profile, its rule and its documentation.
func TestProfileAtAuthorize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		policy      mockprovider.RedirectPolicy
		registered  []string
		presented   string
		respondTo   string // "" when refused
		refusalRule string
	}{
		{"github sub-path", "github", []string{"https://app.example/cb"}, "https://app.example/cb/deeper", "https://app.example/cb/deeper", ""},
		{"github subdomain", "github", []string{"https://app.example/cb"}, "https://eu.app.example/cb", "https://eu.app.example/cb", ""},
		{"github other port", "github", []string{"https://app.example/cb"}, "https://app.example:8443/cb", "", "github/port"},
		{"github omitted: the first callback URL", "github", []string{"https://app.example/a", "https://app.example/b"}, "", "https://app.example/a", ""},
		{"entra path-less gets a slash", "entra", []string{"https://contoso.example"}, "https://contoso.example", "https://contoso.example/", ""},
		{"entra localhost port", "entra", []string{"http://localhost/MyApp"}, "http://localhost:5000/MyApp", "http://localhost:5000/MyApp", ""},
		{"google trailing slash", "google", []string{"https://app.example/cb"}, "https://app.example/cb/", "", "google/exact-match"},
		{"google omitted", "google", []string{"https://app.example/cb"}, "", "", "google/omitted-redirect-uri"},
		{"keycloak wildcard", "keycloak", []string{"https://app.example/cb/*"}, "https://app.example/cb/x?y=1", "https://app.example/cb/x?y=1", ""},
		{"hydra localhost port", "hydra", []string{"http://localhost:8000/cb"}, "http://localhost:8001/cb", "", "hydra/exact-match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := mockprovider.Client{ID: "app", Secret: "s", Scopes: []string{"email"}, RedirectURIs: tt.registered, RedirectPolicy: tt.policy}
			srv := mockprovider.NewTestServer(t, mockprovider.WithClient(c))
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			params := seedParams("client_id", "app", "redirect_uri", tt.presented)
			if tt.presented == "" {
				params.Del("redirect_uri")
			}
			res := b.get("/oauth/authorize?" + params.Encode())
			if tt.respondTo == "" {
				title := "Redirect URI mismatch"
				if tt.presented == "" {
					title = "Missing redirect_uri"
				}
				assertErrorPage(t, res, title)
				assert.Equal(t, tt.refusalRule, elementText(t, res.Body, "profile-rule"))
				p, _ := mockprovider.LookupRedirectProfile(tt.policy)
				assert.Contains(t, res.Body, `href="`+p.DocURL+`"`)
				return
			}
			require.Equal(t, http.StatusOK, res.Status, res.Body)
			assert.Contains(t, res.Body, tt.respondTo, "the consent page names where the code goes")
			res = b.consent(res, "yes")
			require.Equal(t, http.StatusFound, res.Status)
			code := callbackParams(t, res.location(), tt.respondTo).Get("code")
			require.NotEmpty(t, code)
			tokens(t, exchange(t, srv.URL, tokenClient{id: "app", secret: "s"}, code, tt.presented))
		})
	}
}

func TestProfileNamesAreRedirectPolicies(t *testing.T) {
	t.Parallel()
	for _, p := range mockprovider.RedirectProfiles() {
		got, err := mockprovider.ParseRedirectPolicy(string(p.Name))
		require.NoError(t, err)
		assert.Equal(t, p.Name, got)
		assert.Equal(t, p.Conformant, got.Conformant())
		assert.Contains(t, got.About(), p.Provider)
		assert.Equal(t, p.Judge("https://a.example/cb", "https://a.example/cb/x").Accepts, got.Match("https://a.example/cb", "https://a.example/cb/x"))
	}
	_, err := mockprovider.ParseRedirectPolicy("gitlab")
	assert.ErrorContains(t, err, "github, google, google-native, entra, keycloak, hydra, oidc-provider, oidc-provider-native")
	_, err = mockprovider.New(mockprovider.WithClient(mockprovider.Client{ID: "x", Secret: "s", RedirectURIs: []string{"https://a.example/cb"}, RedirectPolicy: "gitlab"}))
	assert.ErrorContains(t, err, `unknown redirect policy "gitlab"`)
}

func TestProfileInFixture(t *testing.T) {
	t.Parallel()
	cs, err := mockprovider.ParseClients("clients.yaml", []byte(`clients:
  - client_id: kc
    client_secret: s
    redirect_uris: ["https://app.example/cb/*"]
    redirect_policy: keycloak
`))
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, mockprovider.RedirectPolicy("keycloak"), cs[0].RedirectPolicy)
	_, err = mockprovider.ParseClients("clients.yaml", []byte(`clients:
  - client_id: kc
    client_secret: s
    redirect_uris: ["https://app.example/cb"]
    redirect_policy: gitlab
`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "clients.yaml:")
	assert.Contains(t, err.Error(), `unknown redirect policy "gitlab"`)
}
