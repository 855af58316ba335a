package scenarios_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// runOnMock runs scenarios against a fresh embedded mock.
func runOnMock(t *testing.T, scs []scenarios.Scenario, opts ...mockprovider.Option) []scenarios.Result {
	t.Helper()
	tg, err := launch.OpenMock(opts...)
	require.NoError(t, err)
	t.Cleanup(func() { tg.Close() })
	return scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t), Scenarios: scs, Parallel: 2}.Run(t.Context())
}

// saveFailure writes a failed scenario's screenshots where a person can
// look at them, and returns the folder.
func saveFailure(t *testing.T, r scenarios.Result) string {
	dir := filepath.Join(os.TempDir(), "dsra-scenario-failures", strings.ReplaceAll(r.ID, "/", "-"))
	os.MkdirAll(dir, 0o755)
	for i, p := range r.Evidence.Pages {
		if len(p.Screenshot) > 0 {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s.png", i+1, strings.ReplaceAll(p.Step, " ", "-"))), p.Screenshot, 0o644)
		}
	}
	body, _ := json.MarshalIndent(r.Evidence.Exchanges, "", "  ")
	os.WriteFile(filepath.Join(dir, "exchanges.json"), body, 0o644)
	return dir
}

// TestCatalogOnMock is the conformance run of `make conformance` as a Go
// test: every scenario passes against the embedded mock, none skips.
func TestCatalogOnMock(t *testing.T) {
	results := runOnMock(t, nil)
	require.Len(t, results, len(scenarios.Catalog()))
	for _, r := range results {
		t.Run(r.ID, func(t *testing.T) {
			if r.Verdict != scenarios.Pass {
				t.Errorf("%s %s: %s (screenshots and exchanges in %s)", r.Verdict, r.ID, r.Reason, saveFailure(t, r))
			}
		})
	}
}

func TestCatalogShape(t *testing.T) {
	cat := scenarios.Catalog()
	assert.GreaterOrEqual(t, len(cat), 45)
	id := regexp.MustCompile(`^(redirect|scope|code|me|oidc)/[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	areas := map[string]int{}
	for _, s := range cat {
		assert.Regexp(t, id, s.ID)
		assert.False(t, seen[s.ID], "duplicate ID %s", s.ID)
		seen[s.ID] = true
		areas[s.Area()]++
		assert.Contains(t, []scenarios.Level{scenarios.MUST, scenarios.SHOULD}, s.Level, s.ID)
		assert.Regexp(t, `^(RFC \d+|OIDC (Core|Discovery|RP-Initiated Logout)) §`, s.RFC, s.ID)
		assert.NotEmpty(t, s.Description, s.ID)
		assert.NotNil(t, s.Run, s.ID)
	}
	assert.GreaterOrEqual(t, areas["oidc"], 20, "issue 10: at least 20 OpenID Connect scenarios")
	for _, a := range []string{"redirect", "scope", "code", "me", "oidc"} {
		assert.Positive(t, areas[a], "area %s", a)
	}
	// The IDs the issues and the README name are in the catalog.
	for _, want := range []string{"me/seed-json", "redirect/exact-match", "redirect/scheme-mismatch", "code/reuse", "scope/unknown",
		"redirect/port-mismatch", "redirect/userinfo-trick", "code/pkce-plain-when-s256", "me/query-token",
		"oidc/discovery", "oidc/id-token-signature", "oidc/nonce-echoed", "oidc/userinfo-sub", "oidc/logout-unregistered-redirect"} {
		assert.True(t, seen[want], want)
	}
}

func TestSelect(t *testing.T) {
	all, err := scenarios.Select("")
	require.NoError(t, err)
	assert.Len(t, all, len(scenarios.Catalog()))
	some, err := scenarios.Select("redirect/*,me/seed-json")
	require.NoError(t, err)
	assert.Equal(t, "redirect/exact-match", some[0].ID, "catalog order kept")
	assert.Equal(t, "me/seed-json", some[len(some)-1].ID)
	area, err := scenarios.Select("scope")
	require.NoError(t, err)
	assert.Len(t, area, 7)
	_, err = scenarios.Select("redirect/nope")
	assert.ErrorContains(t, err, "matches no scenario")
	_, err = scenarios.Select("[")
	assert.ErrorContains(t, err, "bad pattern")
}

func only(t *testing.T, ids ...string) []scenarios.Scenario {
	t.Helper()
	var out []scenarios.Scenario
	for _, id := range ids {
		s, ok := scenarios.Lookup(id)
		require.True(t, ok, id)
		out = append(out, s)
	}
	return out
}

// TestSchemeMismatchPage is the redirect-mismatch bug of the seed: the
// client is configured with https while http is registered. The browser
// shows the provider's page naming the scheme, and nothing reaches the
// callback.
func TestSchemeMismatchPage(t *testing.T) {
	r := runOnMock(t, only(t, "redirect/scheme-mismatch"))[0]
	require.Equal(t, scenarios.Pass, r.Verdict, r.Reason)
	assert.Contains(t, strings.Join(r.Notes, "\n"), "the error page names the differing component (scheme)")
	require.NotEmpty(t, r.Evidence.Pages)
	final := r.Evidence.Pages[len(r.Evidence.Pages)-1]
	assert.Contains(t, final.URL, "/oauth/authorize?", "the user stays on the provider's page")
	assert.Contains(t, final.URL, "redirect_uri=https%3A%2F%2Flocalhost%3A8000%2Fauthorized")
	assert.NotEmpty(t, final.Screenshot)
}

// TestEvidenceIsRedacted checks that no secret, code or token appears in
// a result's evidence or reason.
func TestEvidenceIsRedacted(t *testing.T) {
	tg, err := launch.OpenMock()
	require.NoError(t, err)
	defer tg.Close()
	res := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t), Scenarios: only(t, "code/reuse", "me/seed-json")}.Run(t.Context())
	body, err := json.Marshal(res)
	require.NoError(t, err)
	text := string(body)
	for _, c := range tg.Clients {
		assert.NotContains(t, text, c.Secret)
	}
	assert.NotContains(t, text, tg.User.Password)
	assert.Contains(t, text, "[redacted ", "secrets are replaced by fingerprints")
	// The mock's request log knows every code and token it issued.
	for _, r := range res {
		require.Equal(t, scenarios.Pass, r.Verdict, r.Reason)
		for _, ex := range r.Evidence.Exchanges {
			if ex.Response == nil {
				continue
			}
			var tok struct{ AccessToken, RefreshToken string }
			json.Unmarshal([]byte(ex.Response.Body), &tok)
			assert.True(t, tok.AccessToken == "" || strings.HasPrefix(tok.AccessToken, "[redacted"), "access token in clear: %s", ex.Response.Body)
		}
	}
}

// TestSkipsNeedsWithReason: a target without a second client, a clock or
// PKCE skips the scenarios that need them, with the reason, never passes
// them.
func TestSkipsNeedsWithReason(t *testing.T) {
	tg, err := launch.OpenMock()
	require.NoError(t, err)
	defer tg.Close()
	delete(tg.Clients, "secondary")
	tg.Capabilities = []providerspec.Capability{providerspec.Refresh}
	tg.Clock = nil
	res := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t),
		Scenarios: only(t, "code/client-bound", "code/expiry", "code/pkce-s256")}.Run(t.Context())
	for _, r := range res {
		assert.Equal(t, scenarios.Skip, r.Verdict, r.ID)
	}
	assert.Contains(t, res[0].Reason, "no secondary client")
	assert.Contains(t, res[1].Reason, "clock")
	assert.Contains(t, res[2].Reason, `capability "pkce"`)
	noBrowser := scenarios.Runner{Spec: tg.Spec, Scenarios: only(t, "redirect/exact-match")}.Run(t.Context())
	assert.Equal(t, scenarios.Skip, noBrowser[0].Verdict)
}

// TestNotAnOpenIDProviderSkipsTheOIDCArea: without the openid capability
// every oidc/ scenario is skipped with the reason, none passes or fails.
func TestNotAnOpenIDProviderSkipsTheOIDCArea(t *testing.T) {
	tg, err := launch.OpenMock()
	require.NoError(t, err)
	defer tg.Close()
	tg.Capabilities = slices.DeleteFunc(tg.Capabilities, func(c providerspec.Capability) bool { return c == providerspec.OpenID })
	oidc, err := scenarios.Select("oidc/*")
	require.NoError(t, err)
	res := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t), Scenarios: oidc, Parallel: 2}.Run(t.Context())
	require.Len(t, res, len(oidc))
	for _, r := range res {
		assert.Equal(t, scenarios.Skip, r.Verdict, r.ID)
		assert.Contains(t, r.Reason, "not an OpenID provider", r.ID)
	}
}

// TestHangingProviderTimesOut: a provider that never answers fails the
// scenario with "timeout after N s", and the run goes on.
func TestHangingProviderTimesOut(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	srv := hangingServer(t, hang)
	tg, err := providerspec.Parse("hang.yaml", []byte(fmt.Sprintf(`
name: hang
authorize_url: %[1]s/authorize
token_url: %[1]s/token
me_url: %[1]s/me
clients: {primary: {id: a, secret: s, redirect_uri: "http://127.0.0.1:8000/cb"}}
user: {username: alice, password: x}
timeout: 300ms
`, srv)))
	require.NoError(t, err)
	res := scenarios.Runner{Spec: tg, Scenarios: only(t, "code/unknown-code", "me/missing-token")}.Run(context.Background())
	for _, r := range res {
		assert.Equal(t, scenarios.Fail, r.Verdict, r.ID)
		assert.Contains(t, r.Reason, "timeout after 0.3 s", r.ID)
	}
}

// TestScopeClaimsNamesTheClaim: a claim whose value differs from what the
// target file expects warns (a SHOULD of OIDC Core §5.4) and names the
// claim and both values.
func TestScopeClaimsNamesTheClaim(t *testing.T) {
	tg, err := launch.OpenMock()
	require.NoError(t, err)
	defer tg.Close()
	tg.User.Claims = map[string]any{"email": "alice@example.com", "tenant": map[string]any{"id": 7, "plan": "gold"}}
	res := scenarios.Runner{Spec: tg.Spec, Browser: browsertest.Browser(t), Scenarios: only(t, "oidc/scope-claims")}.Run(t.Context())
	require.Len(t, res, 1)
	assert.Equal(t, scenarios.Warn, res[0].Verdict, res[0].Reason)
	assert.Contains(t, res[0].Reason, `claim "tenant" is map[id:42 plan:gold]; the target expects map[id:7 plan:gold]`)
}
