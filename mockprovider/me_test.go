package mockprovider_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func TestMe(t *testing.T) {
	t.Parallel()
	const realm = `Bearer realm="mockprovider"`
	tests := []struct {
		name    string
		path    string
		scope   string // scope of the token obtained first
		advance time.Duration
		auth    func(tok string) []string
		status  int
		error   string // error in WWW-Authenticate and the body; "" for none
		wwwAuth string // exact WWW-Authenticate when not ""
	}{
		{name: "valid", auth: func(tok string) []string { return []string{"Bearer " + tok} }, status: http.StatusOK},
		{name: "lowercase bearer", auth: func(tok string) []string { return []string{"bearer " + tok} }, status: http.StatusOK},
		{name: "uppercase BEARER", auth: func(tok string) []string { return []string{"BEARER " + tok} }, status: http.StatusOK},
		{name: "59m59s old", advance: time.Hour - time.Second, auth: func(tok string) []string { return []string{"Bearer " + tok} }, status: http.StatusOK},
		{name: "missing header", auth: func(string) []string { return nil }, status: http.StatusUnauthorized, wwwAuth: realm},
		{name: "token in the query", path: "/oauth/api/me?access_token=", auth: func(string) []string { return nil }, status: http.StatusUnauthorized, wwwAuth: realm},
		{name: "Basic scheme", auth: func(tok string) []string { return []string{basicHeader("alice", "wonderland")} }, status: http.StatusUnauthorized, wwwAuth: realm},
		{name: "unknown token", auth: func(string) []string { return []string{"Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} }, status: http.StatusUnauthorized, error: "invalid_token"},
		{name: "expired", advance: time.Hour, auth: func(tok string) []string { return []string{"Bearer " + tok} }, status: http.StatusUnauthorized, error: "invalid_token"},
		{name: "malformed token", auth: func(string) []string { return []string{"Bearer a*b"} }, status: http.StatusBadRequest, error: "invalid_request"},
		{name: "token with a space", auth: func(tok string) []string { return []string{"Bearer " + tok + " x"} }, status: http.StatusBadRequest, error: "invalid_request"},
		{name: "empty token", auth: func(string) []string { return []string{"Bearer "} }, status: http.StatusBadRequest, error: "invalid_request"},
		{name: "scheme alone", auth: func(string) []string { return []string{"Bearer"} }, status: http.StatusBadRequest, error: "invalid_request"},
		{name: "two Authorization headers", auth: func(tok string) []string { return []string{"Bearer " + tok, "Bearer " + tok} }, status: http.StatusBadRequest, error: "invalid_request"},
		{name: "email with scope email", path: "/oauth/api/email", auth: func(tok string) []string { return []string{"Bearer " + tok} }, status: http.StatusOK},
		{name: "email without scope email", path: "/oauth/api/email", scope: "profile", auth: func(tok string) []string { return []string{"Bearer " + tok} },
			status: http.StatusForbidden, error: "insufficient_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			scope := tt.scope
			if scope == "" {
				scope = "email"
			}
			tr := userTokens(t, srv, seedParams("scope", scope))
			require.NoError(t, srv.Advance(tt.advance))
			path := tt.path
			if path == "" {
				path = "/oauth/api/me"
			}
			res := bearerGet(t, srv.URL, path, tt.auth(tr.AccessToken)...)
			assert.Equal(t, tt.status, res.Status, res.Body)
			assert.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "application/json"))
			if tt.status == http.StatusOK {
				assert.Empty(t, res.Header.Get("WWW-Authenticate"))
				if path == "/oauth/api/me" {
					assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, res.Body)
				} else {
					assert.JSONEq(t, `{"email":"alice@example.com"}`, res.Body)
				}
				return
			}
			wa := res.Header.Get("WWW-Authenticate")
			require.True(t, strings.HasPrefix(wa, realm), wa)
			if tt.wwwAuth != "" {
				assert.Equal(t, tt.wwwAuth, wa, "no error code when the request has no credentials (RFC 6750 §3.1)")
				var body map[string]any
				require.NoError(t, json.Unmarshal([]byte(res.Body), &body))
				assert.NotContains(t, body, "error", "no error code in the body either: %s", res.Body)
			}
			if tt.error != "" {
				assert.Contains(t, wa, `error="`+tt.error+`"`)
				assert.Equal(t, tt.error, oauthError(t, res))
			}
			if tt.error == "insufficient_scope" {
				assert.Contains(t, wa, `scope="email"`)
			}
		})
	}
}

func TestMeRefusesMethods(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	req, err := http.NewRequest(http.MethodDelete, srv.MeURL(), nil)
	require.NoError(t, err)
	res, err := testHTTP.Do(req)
	require.NoError(t, err)
	r := readResponse(t, res)
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status)
	assert.Equal(t, "invalid_request", oauthError(t, r))
}

func TestMeRefreshTokenIsNotAnAccessToken(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	tr := userTokens(t, srv, seedParams())
	res := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.RefreshToken)
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	assert.Contains(t, res.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
}
