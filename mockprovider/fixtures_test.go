package mockprovider_test

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestDefaultFixtures keeps the fixture files and the built-in defaults
// from drifting apart.
func TestDefaultFixtures(t *testing.T) {
	t.Parallel()
	clients, err := mockprovider.LoadClients("../testdata/clients.yaml")
	require.NoError(t, err)
	assert.Equal(t, mockprovider.DefaultClients(), clients)
	assert.Equal(t, mockprovider.SeedClientID, clients[0].ID)
	assert.Equal(t, []string{mockprovider.SeedRedirectURI}, clients[0].RedirectURIs)
	assert.Equal(t, "http://localhost:8000", clients[0].HomepageURL)

	users, err := mockprovider.LoadUsers("../testdata/users.yaml")
	require.NoError(t, err)
	assert.Equal(t, mockprovider.DefaultUsers(), users)
	assert.Equal(t, "alice", users[0].Username)

	// A provider started from the files is the default one.
	p, err := mockprovider.New(mockprovider.WithClients(clients...), mockprovider.WithUsers(users...))
	require.NoError(t, err)
	assert.Equal(t, mockprovider.DefaultClients(), p.Clients())
}

func TestBadFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		line   int
		reason string
	}{
		{"clients-unknown-field.yaml", 7, `unknown field "scope"`},
		{"clients-relative-redirect.yaml", 12, `client "relative": redirect_uris[0]: "/cb" is not an absolute URL`},
		{"clients-fragment-redirect.yaml", 6, "has a fragment"},
		{"clients-ftp-redirect.yaml", 5, `scheme "ftp" is not http or https`},
		{"clients-missing-secret.yaml", 3, `client "nosecret" has no client_secret`},
		{"clients-duplicate-id.yaml", 10, `client_id "twice" is registered twice`},
		{"clients-tab.yaml", 3, "tab character"},
		{"clients-tab-blank.yaml", 5, "tab character"},
		{"clients-tab-item.yaml", 2, "a tab in the indentation"},
		{"clients-bad-indent.yaml", 4, "mapping values are not allowed"},
		{"clients-wrong-type.yaml", 5, "cannot unmarshal"},
		{"clients-empty.yaml", 0, `empty file: expected a top-level "clients" list`},
		{"clients-comments-only.yaml", 0, "empty file"},
		{"clients-empty-list.yaml", 2, `"clients" is empty`},
		{"users-no-password.yaml", 4, `user "carol" has no password`},
		{"users-duplicate.yaml", 3, `user "alice" is listed twice`},
		{"users-unknown-field.yaml", 3, `unknown field "pasword"`},
		{"users-empty.yaml", 0, `empty file: expected a top-level "users" list`},
		{"users-registered-claim.yaml", 6, `claims.iss: iss is set by the provider`},
		{"users-claim-map-keys.yaml", 6, `claims.levels: the value cannot be a JSON claim`},
		{"users-bad-sub.yaml", 4, `sub must be 1 to 255 printable ASCII characters`},
		{"clients-bad-alg.yaml", 5, `id_token_signed_response_alg "none" is not one of RS256, PS256, ES256, EdDSA`},
		{"clients-post-logout-fragment.yaml", 7, `post_logout_redirect_uris[1]: "http://localhost:8000/#bye" has a fragment`},
		{"clients-standard-claim.yaml", 7, `claims.email: a standard claim`},
		{"does-not-exist.yaml", 0, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "bad", tt.file)
			var err error
			if strings.HasPrefix(tt.file, "users") {
				_, err = mockprovider.LoadUsers(path)
			} else {
				_, err = mockprovider.LoadClients(path)
			}
			var fe *mockprovider.FixtureError
			require.True(t, errors.As(err, &fe), "%T %v", err, err)
			assert.Equal(t, path, fe.File)
			assert.Equal(t, tt.line, fe.Line, fe.Reason)
			assert.Contains(t, fe.Reason, tt.reason)
			if tt.line > 0 {
				assert.Contains(t, fe.Error(), path+":"+strconv.Itoa(tt.line)+": ")
			} else {
				assert.Contains(t, fe.Error(), path+": ")
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	t.Parallel()
	good := mockprovider.DefaultClients()[0]
	tests := []struct {
		name string
		opts []mockprovider.Option
		want string
	}{
		{"no clients", []mockprovider.Option{mockprovider.WithClients()}, "no clients"},
		{"duplicate client", []mockprovider.Option{mockprovider.WithClient(good)}, "registered twice"},
		{"duplicate user", []mockprovider.Option{mockprovider.WithUsers(mockprovider.User{Username: "a", Password: "b"}, mockprovider.User{Username: "a", Password: "c"})}, "listed twice"},
		{"user without password", []mockprovider.Option{mockprovider.WithUsers(mockprovider.User{Username: "a"})}, "password"},
		{"unknown policy", []mockprovider.Option{mockprovider.WithRedirectPolicy("fuzzy")}, "unknown redirect policy"},
		{"unknown PKCE policy", []mockprovider.Option{mockprovider.WithPKCE("always")}, "unknown PKCE policy"},
		{"zero lifetime", []mockprovider.Option{mockprovider.WithCodeLifetime(0)}, "positive"},
		{"relative issuer", []mockprovider.Option{mockprovider.WithIssuer("/x")}, "issuer"},
		{"public with secret", []mockprovider.Option{mockprovider.WithClient(mockprovider.Client{ID: "p", Secret: "s", Public: true, RedirectURIs: []string{"http://a/cb"}})}, "public but has a client_secret"},
		{"bad auth method", []mockprovider.Option{mockprovider.WithClient(mockprovider.Client{ID: "p", Secret: "s", AuthMethod: "private_key_jwt", RedirectURIs: []string{"http://a/cb"}})}, "auth_method"},
		{"bad scope", []mockprovider.Option{mockprovider.WithClient(mockprovider.Client{ID: "p", Secret: "s", Scopes: []string{`a"b`}, RedirectURIs: []string{"http://a/cb"}})}, "scope"},
		{"client_id with colon", []mockprovider.Option{mockprovider.WithClient(mockprovider.Client{ID: "a:b", Secret: "s", RedirectURIs: []string{"http://a/cb"}})}, "colons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := mockprovider.New(tt.opts...)
			assert.ErrorContains(t, err, tt.want)
			if tt.name != "relative issuer" { // NewServer sets its own issuer
				assert.Panics(t, func() { mockprovider.NewServer(tt.opts...) })
			}
		})
	}
}
