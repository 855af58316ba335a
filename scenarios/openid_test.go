package scenarios_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
)

func goodConfig() map[string]any {
	return map[string]any{
		"issuer":                                testIssuer,
		"authorization_endpoint":                testIssuer + "/authorize",
		"token_endpoint":                        testIssuer + "/token",
		"userinfo_endpoint":                     testIssuer + "/userinfo",
		"jwks_uri":                              testIssuer + "/jwks",
		"scopes_supported":                      []string{"openid", "email"},
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256", "ES256"},
	}
}

func TestOpenIDConfigurationProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config map[string]any
		want   string // a word of the one problem; "" for none
	}{
		{"well-formed", goodConfig(), ""},
		{"issuer with a trailing slash", with(goodConfig(), "issuer", testIssuer+"/"), "Discovery §4.3"},
		{"issuer of another host", with(goodConfig(), "issuer", "https://other.example"), "not identical"},
		{"no jwks_uri", with(goodConfig(), "jwks_uri", nil), "jwks_uri"},
		{"relative token_endpoint", with(goodConfig(), "token_endpoint", "/token"), "token_endpoint"},
		{"no RS256", with(goodConfig(), "id_token_signing_alg_values_supported", []string{"ES256"}), "RS256"},
		{"no code response type", with(goodConfig(), "response_types_supported", []string{"id_token"}), "lacks code"},
		{"no subject types", with(goodConfig(), "subject_types_supported", nil), "subject_types_supported"},
		{"scopes without openid", with(goodConfig(), "scopes_supported", []string{"email"}), "openid scope"},
		{"no scopes_supported (RECOMMENDED only)", with(goodConfig(), "scopes_supported", nil), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := json.Marshal(tc.config)
			require.NoError(t, err)
			cfg, err := scenarios.ParseOpenIDConfiguration(body)
			require.NoError(t, err)
			problems := cfg.Problems(testIssuer)
			if tc.want == "" {
				assert.Empty(t, problems)
				return
			}
			require.Len(t, problems, 1, "%q", problems)
			assert.Contains(t, problems[0], tc.want)
		})
	}
}

func TestParseOpenIDConfigurationNamesTheBadField(t *testing.T) {
	_, err := scenarios.ParseOpenIDConfiguration([]byte(`{"issuer":"x","response_types_supported":"code"}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "response_types_supported")
	_, err = scenarios.ParseOpenIDConfiguration([]byte(`<html>`))
	assert.Error(t, err)
}

func TestDiscoveryURL(t *testing.T) {
	assert.Equal(t, "https://op.example/.well-known/openid-configuration", scenarios.DiscoveryURL("https://op.example"))
	assert.Equal(t, "https://op.example/t1/.well-known/openid-configuration", scenarios.DiscoveryURL("https://op.example/t1/"))
}

func TestJWKSProblems(t *testing.T) {
	rk, ek := testKeys()
	pub := func(kid string) jose.JSONWebKey {
		return jose.JSONWebKey{Key: &rk.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}
	}
	for _, tc := range []struct {
		name        string
		keys        []jose.JSONWebKey
		want, wantN string
	}{
		{name: "public keys", keys: []jose.JSONWebKey{pub("a"), {Key: &ek.PublicKey, KeyID: "b", Use: "sig"}}},
		{name: "one key without kid", keys: []jose.JSONWebKey{pub("")}},
		{name: "private key published", keys: []jose.JSONWebKey{{Key: rk, KeyID: "a"}}, want: "private key material"},
		{name: "symmetric key published", keys: []jose.JSONWebKey{pub("a"), {Key: []byte(testSecret), KeyID: "h", Algorithm: "HS256"}}, want: "symmetric"},
		{name: "several keys, one without kid", keys: []jose.JSONWebKey{pub("a"), pub("")}, want: "no kid"},
		{name: "encryption keys only", keys: []jose.JSONWebKey{{Key: &rk.PublicKey, KeyID: "e", Use: "enc"}}, want: "no key for signatures"},
		{name: "duplicate kid", keys: []jose.JSONWebKey{pub("a"), pub("a")}, wantN: "distinct kids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := json.Marshal(jose.JSONWebKeySet{Keys: tc.keys})
			require.NoError(t, err)
			set, err := scenarios.ParseJWKS(body)
			require.NoError(t, err)
			problems, notes := scenarios.JWKSProblems(set)
			if tc.want == "" {
				assert.Empty(t, problems)
			} else {
				require.Len(t, problems, 1, "%q", problems)
				assert.Contains(t, problems[0], tc.want)
			}
			if tc.wantN != "" {
				assert.Contains(t, strings.Join(notes, "\n"), tc.wantN)
			}
		})
	}
}

func TestParseJWKSRefusesWhatIsNoKeySet(t *testing.T) {
	for _, body := range []string{`{}`, `[]`, `{"keys":[{"kty":"RSA","n":"AQAB"}]}`, `{"keys":[{"kty":"XYZ"}]}`} {
		_, err := scenarios.ParseJWKS([]byte(body))
		assert.Error(t, err, body)
	}
}
