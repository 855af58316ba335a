package providerspec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func TestLoadGoodFiles(t *testing.T) {
	full, err := Load("../../testdata/targets/mockprovider.yaml")
	require.NoError(t, err)
	assert.Equal(t, "mockprovider-9000", full.Name)
	assert.Equal(t, mockprovider.SeedClientID, full.Primary().ID)
	assert.Equal(t, "http://localhost:8000/authorized", full.Primary().RedirectURI)
	require.NotNil(t, full.Secondary())
	require.NotNil(t, full.Multi())
	assert.Equal(t, "client_secret_basic", full.Secondary().AuthMethod, "auth_method defaults to Basic")
	assert.True(t, full.Has(Clock) && full.Has(PKCE) && full.Has(Refresh) && full.Has(OpenID))
	assert.Equal(t, map[string]any{"email": "alice@example.com"}, full.User.Claims)
	assert.Equal(t, "http://localhost:8000/", full.Primary().PostLogoutRedirectURI)
	assert.Empty(t, full.Lacks(OpenID))
	assert.Equal(t, 10*time.Second, full.StepTimeout())
	assert.Equal(t, DefaultLogin, full.Login)

	small, err := Load("../../testdata/targets/discovery.yaml")
	require.NoError(t, err)
	assert.Empty(t, small.AuthorizeURL, "left to discovery")
	assert.Equal(t, DefaultLogin, small.Login, "login defaults to the mock's form contract")
	assert.Equal(t, "sub", small.User.MeField)
	assert.Equal(t, "not-a-scope", small.Scopes.Unknown)
	assert.Equal(t, DefaultTimeout, small.StepTimeout())
	assert.Nil(t, small.Secondary())
	assert.Contains(t, small.Lacks(OpenID), "not an OpenID provider", "until discovery finds the OpenID configuration")
}

func TestLoadBadFiles(t *testing.T) {
	for file, want := range map[string]string{
		"missing-name.yaml":          "missing-name.yaml:1: name: is required",
		"relative-url.yaml":          `relative-url.yaml:2: authorize_url: "/oauth/authorize" is not an absolute http(s) URL`,
		"no-primary.yaml":            "no-primary.yaml:3: clients.primary: is required",
		"redirect-fragment.yaml":     "redirect-fragment.yaml:7: clients.primary.redirect_uri: must not have a fragment",
		"unknown-role.yaml":          `unknown-role.yaml:5: clients.tertiary: unknown client role "tertiary"`,
		"unknown-capability.yaml":    `unknown-capability.yaml:6: capabilities: unknown capability "teleport"`,
		"clock-without-url.yaml":     "clock-without-url.yaml:6: capabilities: clock needs clock_url",
		"bad-timeout.yaml":           `bad-timeout.yaml:6: timeout: "soon" is not a duration`,
		"unknown-field.yaml":         `unknown-field.yaml:6: unknown field "capabilites"`,
		"syntax.yaml":                "syntax.yaml:2: did not find expected",
		"missing-password.yaml":      "missing-password.yaml:5: user.password: is required",
		"half-consent.yaml":          "half-consent.yaml:6: login: give both consent and deny selectors",
		"empty.yaml":                 "empty.yaml: the file is empty",
		"openid-without-issuer.yaml": "openid-without-issuer.yaml:8: capabilities: openid needs issuer",
		"userinfo-relative.yaml":     `userinfo-relative.yaml:3: userinfo_url: "/userinfo" is not an absolute http(s) URL`,
		"claim-without-value.yaml":   "claim-without-value.yaml:10: user.claims.email_verified: needs a value",
		"claim-object-keys.yaml":     "claim-object-keys.yaml:9: user.claims.groups: is not a JSON value",
		"post-logout-fragment.yaml":  "post-logout-fragment.yaml:8: clients.primary.post_logout_redirect_uri: must not have a fragment",
		"unset-variable.yaml":        "unset-variable.yaml:6: clients.primary.secret: environment variable DSRA_TEST_UNSET_CLIENT_SECRET is not set",
	} {
		t.Run(file, func(t *testing.T) {
			_, err := Load(filepath.Join("../../testdata/targets/bad", file))
			require.Error(t, err)
			var fe *FileError
			assert.True(t, errors.As(err, &fe), "a *FileError: %v", err)
			assert.Contains(t, err.Error(), want)
		})
	}
	_, err := Load("no/such/file.yaml")
	assert.ErrorContains(t, err, "no/such/file.yaml")
}

func TestEveryBadFileIsTested(t *testing.T) {
	files, err := filepath.Glob("../../testdata/targets/bad/*.yaml")
	require.NoError(t, err)
	assert.Len(t, files, 19, "add the new bad file to TestLoadBadFiles")
}

// TestValidateOnlyChecks: Validate changes nothing; ApplyDefaults is the
// one place a default is set.
func TestValidateOnlyChecks(t *testing.T) {
	s := &Spec{
		Name: "bare", AuthorizeURL: "http://127.0.0.1:1/a", TokenURL: "http://127.0.0.1:1/t", MeURL: "http://127.0.0.1:1/m",
		Clients: map[string]*Client{"primary": {ID: "a", Secret: "s", RedirectURI: "http://127.0.0.1:2/cb"}},
		User:    User{Username: "u", Password: "p"},
	}
	err := s.Validate()
	assert.ErrorContains(t, err, "auth_method", "without defaults the empty auth method is refused")
	assert.Empty(t, s.Primary().AuthMethod, "Validate does not fill it")
	assert.Zero(t, s.Timeout)

	s.ApplyDefaults()
	require.NoError(t, s.Validate())
	assert.Equal(t, "client_secret_basic", s.Primary().AuthMethod)
	assert.Equal(t, DefaultLogin, s.Login)
	assert.Equal(t, "not-a-scope", s.Scopes.Unknown)
	assert.Equal(t, "username", s.User.MeField)
	assert.Equal(t, DefaultTimeout, s.StepTimeout())
}

func TestScopeTokens(t *testing.T) {
	base := "name: x\nauthorize_url: http://h/a\ntoken_url: http://h/t\nme_url: http://h/m\n" +
		"clients: {primary: {id: a, secret: s, redirect_uri: \"http://h/cb\"}}\nuser: {username: u, password: p}\n"
	for name, scopes := range map[string]string{
		"space":           `scopes: {granted: ["a b"]}`,
		"quote":           `scopes: {unknown: "a\"b"}`,
		"control":         `scopes: {refresh: "a\tb"}`,
		"non-ASCII":       `scopes: {granted: ["émail"]}`,
		"second document": "---\nname: y",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(base+scopes))
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			assert.Positive(t, fe.Line)
		})
	}
}

// FuzzParse: a target file is untrusted input; Parse never panics and
// every error is a *FileError.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../testdata/targets/mockprovider.yaml", "../../testdata/targets/discovery.yaml"} {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("name: [\n"))
	f.Add([]byte("timeout: soon\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FileError", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("a parsed spec fails Validate: %v", err)
		}
	})
}
