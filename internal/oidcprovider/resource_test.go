package oidcprovider_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// TestResource checks the seed's protected resources that our Node
// program serves (RFC 6750): the challenges, the scope rules and the
// scheme's case-insensitivity.
func TestResource(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: installs oidc-provider with npm the first time")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	p, err := oidcprovider.Start(ctx, oidcprovider.Options{Mode: runmode.Process, Logger: testLogger(t)})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	conf := p.OAuth2Config(oidcprovider.RolePrimary)
	conf.Scopes = []string{"profile"}
	callback := newBrowser(t).signIn(t, conf.AuthCodeURL("s"), "alice", "wonderland")
	tok, err := conf.Exchange(ctx, callback.Get("code"))
	require.NoError(t, err)

	tests := []struct {
		name, method, url, auth string
		status                  int
		challenge, body         string
	}{
		{"no token", http.MethodGet, p.MeURL, "", http.StatusUnauthorized, `Bearer realm="oidc-provider"`, ""},
		{"unknown token", http.MethodGet, p.MeURL, "Bearer nope", http.StatusUnauthorized, `error="invalid_token"`, `"error":"invalid_token"`},
		{"not a b64token", http.MethodGet, p.MeURL, "Bearer a b", http.StatusBadRequest, `error="invalid_request"`, `"error":"invalid_request"`},
		{"other scheme", http.MethodGet, p.MeURL, "Basic YTpi", http.StatusUnauthorized, `Bearer realm="oidc-provider"`, ""},
		{"lower-case scheme", http.MethodGet, p.MeURL, "bearer " + tok.AccessToken, http.StatusOK, "", `{"username":"alice"}`},
		{"no email without scope email", http.MethodGet, p.MeURL, "Bearer " + tok.AccessToken, http.StatusOK, "", `{"username":"alice"}`},
		{"insufficient scope", http.MethodGet, p.EmailURL, "Bearer " + tok.AccessToken, http.StatusForbidden, `error="insufficient_scope"`, `"error":"insufficient_scope"`},
		{"POST", http.MethodPost, p.MeURL, "Bearer " + tok.AccessToken, http.StatusMethodNotAllowed, "", `"error":"invalid_request"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, tt.method, tt.url, nil)
			require.NoError(t, err)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			assert.Equal(t, tt.status, resp.StatusCode, body.String())
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			if tt.challenge != "" {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), tt.challenge)
			}
			assert.Contains(t, body.String(), tt.body)
		})
	}
}
