package scenarios_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

// TestRefreshWithOfflineAccessAsksConsent: a target whose refresh scope is
// offline_access gets authorization requests with prompt=consent, as
// OpenID Connect Core 1.0 §11 requires (oidc-provider drops offline_access
// without it), and the refresh scenarios still pass on the mock.
func TestRefreshWithOfflineAccessAsksConsent(t *testing.T) {
	scopes := []string{"openid", "email", "profile", "offline_access"}
	tg, err := launch.OpenMock(mockprovider.WithClients(
		mockprovider.Client{ID: mockprovider.SeedClientID, Secret: mockprovider.SeedClientSecret, Name: "seed",
			RedirectURIs: []string{"http://localhost:8000/authorized"}, Scopes: scopes, DefaultScopes: []string{"email"}},
		mockprovider.Client{ID: "second", Secret: "second-secret", Name: "second",
			RedirectURIs: []string{"http://localhost:8001/authorized"}, Scopes: scopes},
	))
	require.NoError(t, err)
	t.Cleanup(func() { tg.Close() })
	tg.Scopes.Refresh = "offline_access"
	results := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t),
		Scenarios: only(t, "code/refresh", "code/refresh-other-client", "code/reuse-revokes", "oidc/refresh-keeps-sub")}.Run(t.Context())
	for _, r := range results {
		require.Equal(t, scenarios.Pass, r.Verdict, "%s: %s", r.ID, r.Reason)
		// The mock's login page carries the authorization request in next.
		var authURL *url.URL
		for _, p := range r.Evidence.Pages {
			if p.Step == "login page" {
				login, err := url.Parse(p.URL)
				require.NoError(t, err)
				authURL, err = url.Parse(login.Query().Get("next"))
				require.NoError(t, err)
			}
		}
		require.NotNil(t, authURL, "%s: the login page is in the evidence", r.ID)
		assert.Equal(t, "consent", authURL.Query().Get("prompt"), r.ID)
		assert.Contains(t, authURL.Query().Get("scope"), "offline_access", r.ID)
	}
}

// TestLogoutConfirmIsOptional: a logout_confirm selector is clicked only
// when the provider shows that page (oidc-provider asks "Do you want to
// sign-out?", RP-Initiated Logout 1.0 §2); the mock, which asks nothing,
// still passes.
func TestLogoutConfirmIsOptional(t *testing.T) {
	tg, err := launch.OpenMock()
	require.NoError(t, err)
	t.Cleanup(func() { tg.Close() })
	tg.Login.LogoutConfirm = "button[name=logout][value=yes]"
	results := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t),
		Scenarios: only(t, "oidc/logout-registered-redirect")}.Run(t.Context())
	require.Len(t, results, 1)
	assert.Equal(t, scenarios.Pass, results[0].Verdict, results[0].Reason)
	for _, p := range results[0].Evidence.Pages {
		assert.NotEqual(t, "logout confirmation", p.Step, "the mock shows no confirmation page")
	}
}
