package launch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

func TestDiscoveryFillsEndpoints(t *testing.T) {
	srv := mockprovider.NewServer()
	defer srv.Close()
	data, err := os.ReadFile("../../testdata/targets/discovery.yaml")
	require.NoError(t, err)
	tg, err := providerspec.Parse("discovery.yaml", []byte(strings.Replace(string(data), "http://127.0.0.1:4444", srv.URL, 1)))
	require.NoError(t, err)
	require.NoError(t, discover(context.Background(), tg))
	assert.Equal(t, srv.URL+"/oauth/authorize", tg.AuthorizeURL)
	assert.Equal(t, srv.URL+"/oauth/token", tg.TokenURL)
	assert.Equal(t, srv.URL+"/oauth/api/me", tg.MeURL)

	tg.Issuer, tg.AuthorizeURL = "http://127.0.0.1:1", ""
	err = discover(context.Background(), tg)
	assert.ErrorContains(t, err, "issuer: discovery failed")
}

func TestOpenMock(t *testing.T) {
	tg, err := Open(context.Background(), "mock", Options{})
	require.NoError(t, err)
	defer tg.Close()
	assert.Equal(t, "mock", tg.Name)
	assert.Equal(t, mockprovider.SeedClientID, tg.Primary().ID)
	assert.Equal(t, mockprovider.SeedRedirectURI, tg.Primary().RedirectURI)
	require.NotNil(t, tg.Secondary())
	require.NotNil(t, tg.Multi())
	assert.Equal(t, []string{"email"}, tg.Scopes.Granted)
	require.NotNil(t, tg.Clock)
	require.NoError(t, tg.Clock.Advance(context.Background(), time.Minute))
	assert.Len(t, tg.Origins(), 1)
	assert.Empty(t, tg.Lacks(providerspec.OpenID), "the mock is an OpenID Provider")
	assert.Equal(t, "alice@example.com", tg.User.Claims["email"])
	assert.Equal(t, true, tg.User.Claims["email_verified"], "released with scope email")
	assert.Contains(t, tg.User.Claims, "tenant", "a custom claim of users.yaml, released in every id_token")
	assert.NotContains(t, tg.User.Claims, "name", "released with scope profile, which the oidc/ area does not ask for")
	require.NoError(t, tg.Close())
	require.NoError(t, tg.Close(), "Close is idempotent")

	_, err = Open(context.Background(), "mock", Options{Mock: []mockprovider.Option{mockprovider.WithQuirks("no-such-quirk")}})
	assert.ErrorContains(t, err, `unknown quirk "no-such-quirk"`)
}

func TestControlClock(t *testing.T) {
	srv := mockprovider.NewServer()
	defer srv.Close()
	c := controlClock{url: srv.URL + "/_mock/clock"}
	before := srv.Now()
	require.NoError(t, c.Advance(context.Background(), 10*time.Minute))
	assert.Equal(t, before.Add(10*time.Minute), srv.Now())
	real := mockprovider.NewServer(mockprovider.WithRealClock())
	defer real.Close()
	err := controlClock{url: real.URL + "/_mock/clock"}.Advance(context.Background(), time.Minute)
	assert.ErrorContains(t, err, "409")
}

func TestOpenHydraRejectsUnknownMode(t *testing.T) {
	_, err := Open(context.Background(), "hydra", Options{Hydra: HydraOptions{Mode: "teleport"}})
	assert.ErrorContains(t, err, `hydra: mode "teleport" is not auto, docker or process`)
}

func TestOpenOIDCProviderRejectsUnknownMode(t *testing.T) {
	_, err := Open(context.Background(), "oidc-provider", Options{OIDCProvider: OIDCProviderOptions{Mode: "podman"}})
	assert.ErrorContains(t, err, `mode "podman" is not auto, docker or process`)
}

func TestOpenFile(t *testing.T) {
	srv := mockprovider.NewServer()
	defer srv.Close()
	data, err := os.ReadFile("../../testdata/targets/mockprovider.yaml")
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "mock.yaml")
	require.NoError(t, os.WriteFile(file, []byte(strings.ReplaceAll(string(data), "http://127.0.0.1:9000", srv.URL)), 0o600))
	p, err := Open(context.Background(), file, Options{})
	require.NoError(t, err)
	defer p.Close()
	assert.Equal(t, "target file "+file, p.Mode)
	require.NotNil(t, p.Clock, "clock_url gives a clock")
	require.NoError(t, p.Clock.Advance(context.Background(), time.Minute))

	_, err = Open(context.Background(), "no/such/target.yaml", Options{})
	var fe *providerspec.FileError
	assert.ErrorAs(t, err, &fe)
}

// TestDetectOpenID: a target file's provider is an OpenID Provider when
// its issuer publishes an OpenID configuration; otherwise the oidc/ area
// is skipped with the reason.
func TestDetectOpenID(t *testing.T) {
	op := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"issuer":%q}`, "http://"+r.Host)
	}))
	defer op.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	for _, tc := range []struct {
		name, issuer string
		declared     bool
		want         bool
	}{
		{"discovered", op.URL, false, true},
		{"discovered, issuer with a slash", op.URL + "/", false, true},
		{"no OpenID configuration", plain.URL, false, false},
		{"declared", plain.URL, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &providerspec.Spec{Issuer: tc.issuer}
			if tc.declared {
				s.Capabilities = []providerspec.Capability{providerspec.OpenID}
			}
			detectOpenID(context.Background(), s)
			assert.Equal(t, tc.want, s.Lacks(providerspec.OpenID) == "", s.Lacks(providerspec.OpenID))
			assert.LessOrEqual(t, len(s.Capabilities), 1, "declared and discovered is listed once")
		})
	}
}
