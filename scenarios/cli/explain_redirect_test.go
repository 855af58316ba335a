package cli_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/cli"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestExplainRedirectAs(t *testing.T) {
	const seed = "http://localhost:8000/authorized"
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"github accepts a sub-path", []string{"--as", "github", seed, seed + "/evil"}, cli.ExitOK, "rule:     github/sub-path"},
		{"google refuses it", []string{"--as", "google", seed, seed + "/evil"}, cli.ExitMustFailed, "rule:     google/exact-match"},
		{"entra ignores the localhost port", []string{"--as", "entra", seed, "http://localhost:8001/authorized"}, cli.ExitOK, "entra/localhost-port-ignored"},
		{"hydra does not for localhost", []string{"--as", "hydra", seed, "http://localhost:8001/authorized"}, cli.ExitMustFailed, "not the name localhost"},
		{"entra adds a slash", []string{"--as", "entra", "https://contoso.com", "https://contoso.com"}, cli.ExitOK, "response: https://contoso.com/"},
		{"keycloak full wildcard", []string{"--as", "keycloak", "*", "https://evil.example/"}, cli.ExitOK, "keycloak/full-wildcard"},
		{"a registration Google refuses", []string{"--as", "google", "http://app.example/cb", "http://app.example/cb"}, cli.ExitMustFailed, "google/registration-scheme"},
		{"a generic policy", []string{"--as", "prefix", seed, seed + "/evil"}, cli.ExitOK, "prefix accepts"},
		{"exact as a policy", []string{"--as", "exact", seed, seed + "/evil"}, cli.ExitMustFailed, "exact rejects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"explain-redirect"}, tt.args...)...)
			assert.Equal(t, tt.code, code, out+errOut)
			assert.Contains(t, out, tt.out)
			assert.Empty(t, errOut)
		})
	}
}

func TestExplainRedirectAsJSON(t *testing.T) {
	code, out, _ := run(t, "explain-redirect", "--json", "--as", "github", "http://example.com/path", "http://oauth.example.com/path/x")
	require.Equal(t, cli.ExitOK, code)
	var v struct {
		Profile, Rule, DocURL string `json:"-"`
		Accepts               bool   `json:"accepts"`
	}
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.True(t, v.Accepts)
	assert.Equal(t, "github", raw["profile"])
	assert.Equal(t, "github/subdomain, github/sub-path", raw["rule"])
	assert.Contains(t, raw["doc_url"], "docs.github.com")
}

func TestExplainRedirectBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"--as", "gitlab", "http://a.example/cb", "http://a.example/cb"},
		{"--as", "github", "http://a.example/cb", "not a uri"},
		{"--as", "github", "/cb", "http://a.example/cb"},
		{"--as", "github", "http://a.example/cb"},
		{"--as"},
	} {
		code, _, errOut := run(t, append([]string{"explain-redirect"}, args...)...)
		assert.Equal(t, cli.ExitUsage, code, "%q", args)
		assert.NotEmpty(t, errOut)
	}
	_, _, errOut := run(t, "explain-redirect", "--as", "gitlab", "http://a.example/cb", "http://a.example/cb")
	assert.Contains(t, errOut, `unknown policy or profile "gitlab" (known: exact, loopback-any-port`)
	assert.Contains(t, errOut, "github, google, google-native, entra, keycloak, hydra, oidc-provider, oidc-provider-native)")
}

// TestExplainRedirectTable compares the "who would accept this URI?"
// table with golden files (refresh with -update).
func TestExplainRedirectTable(t *testing.T) {
	tests := []struct {
		golden                string
		registered, presented string
		code                  int
	}{
		{"explain-sub-path.golden", "http://localhost:8000/authorized", "http://localhost:8000/authorized/evil", cli.ExitMustFailed},
		{"explain-localhost-port.golden", "http://localhost:8000/authorized", "http://localhost:51234/authorized", cli.ExitMustFailed},
		{"explain-loopback-ip-port.golden", "http://127.0.0.1/callback", "http://127.0.0.1:51234/callback", cli.ExitMustFailed},
		{"explain-identical.golden", "https://contoso.com", "https://contoso.com", cli.ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, out, errOut := run(t, "explain-redirect", tt.registered, tt.presented)
			require.Equal(t, tt.code, code, errOut)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create %s", path)
			assert.Equal(t, string(want), out)
		})
	}
}
