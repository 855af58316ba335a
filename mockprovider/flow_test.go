package mockprovider_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestAuthorizationCodeFlow walks the seed's flow step by step through
// real HTTP, then exchanges the code with golang.org/x/oauth2
// (client_secret_basic) and calls /oauth/api/me.
func TestAuthorizationCodeFlow(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	require.Equal(t, mockprovider.SeedClientID, conf.ClientID)
	require.Equal(t, []string{"email"}, conf.Scopes)
	b := newBrowser(t, srv.URL)

	// Not signed in: the authorization request goes to the login page.
	authURL := conf.AuthCodeURL("state-123", oauth2.S256ChallengeOption(verifier))
	res := b.get(authURL)
	require.Equal(t, http.StatusFound, res.Status)
	loginURL := res.location()
	require.True(t, strings.HasPrefix(loginURL, "/oauth?next="), loginURL)
	next, err := url.Parse(loginURL)
	require.NoError(t, err)
	assert.Equal(t, strings.TrimPrefix(authURL, srv.URL), next.Query().Get("next"))

	// The login page: username, password, hidden next and csrf, and the
	// csrf cookie.
	login := b.get(loginURL)
	require.Equal(t, http.StatusOK, login.Status)
	assert.Contains(t, login.Body, `name="username"`)
	assert.Contains(t, login.Body, `name="password"`)
	assert.Equal(t, next.Query().Get("next"), hidden(t, login.Body, "next"))
	csrf := hidden(t, login.Body, "csrf")
	require.NotEmpty(t, csrf)
	assert.Contains(t, login.Header.Values("Set-Cookie"), "mockprovider_login="+csrf+"; Path=/oauth; HttpOnly; SameSite=Lax")
	assert.Equal(t, "no-store", login.Header.Get("Cache-Control"))

	// Sign in: a session cookie and back to the authorization request.
	res = b.post("/oauth", url.Values{"username": {"alice"}, "password": {"wonderland"}, "next": {hidden(t, login.Body, "next")}, "csrf": {csrf}})
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	assert.Equal(t, next.Query().Get("next"), res.location())
	assert.Contains(t, strings.Join(res.Header.Values("Set-Cookie"), "\n"), "mockprovider_session=")

	// The consent page names the client and the scope.
	page := b.get(res.location())
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	assert.Contains(t, page.Body, `<button type="submit" name="confirm" value="yes">`)
	assert.Contains(t, page.Body, `<button type="submit" name="confirm" value="no">`)
	assert.Contains(t, page.Body, "Seed sample client")
	assert.Contains(t, page.Body, "<code>email</code>")
	assert.NotEmpty(t, hidden(t, page.Body, "consent_id"))

	// Allow: the code and the state go to the registered redirect URI.
	res = b.consent(page, "yes")
	require.Equal(t, http.StatusFound, res.Status, res.Body)
	cb := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
	assert.Equal(t, "state-123", cb.Get("state"))
	require.Len(t, cb.Get("code"), 30)

	// Exchange with x/oauth2.
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, srv.Client())
	tok, err := conf.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.NotEmpty(t, tok.RefreshToken)
	assert.Equal(t, "email", tok.Extra("scope"))
	assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "/oauth/token", last.Path)
	assert.True(t, strings.HasPrefix(last.Authorization, "Basic "), "x/oauth2 used client_secret_basic: %q", last.Authorization)

	// The seed's resource.
	me, err := conf.Client(ctx, tok).Get(srv.MeURL())
	require.NoError(t, err)
	body := readResponse(t, me)
	require.Equal(t, http.StatusOK, body.Status)
	assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, body.Body)
	assert.Equal(t, "no-store", body.Header.Get("Cache-Control"))
}

// TestTokenClientAuthMethods exchanges codes with client_secret_basic and
// client_secret_post.
func TestTokenClientAuthMethods(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]tokenClient{"client_secret_basic": seedBasic, "client_secret_post": seedPost} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			cb := approve(t, srv, "alice", seedParams())
			res := exchange(t, srv.URL, c, cb.Get("code"), mockprovider.SeedRedirectURI)
			tr := tokens(t, res)
			assert.Equal(t, "Bearer", tr.TokenType)
			assert.Equal(t, int64(3600), tr.ExpiresIn)
			assert.Equal(t, "email", tr.Scope)
			assert.NotEmpty(t, tr.RefreshToken)
			assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
			assert.Equal(t, "no-cache", res.Header.Get("Pragma"))
			me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
			assert.Equal(t, http.StatusOK, me.Status)
			assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, me.Body)
		})
	}
}

// TestMeScope checks that email is shown only to tokens with scope email.
func TestMeScope(t *testing.T) {
	t.Parallel()
	const profileRedirect = "http://localhost:8002/cb"
	profileClient := mockprovider.Client{
		ID: "profile-client", Secret: "profile-secret", Name: "Profile only",
		RedirectURIs: []string{profileRedirect}, Scopes: []string{"profile"},
	}
	tests := []struct {
		name   string
		client tokenClient
		params url.Values
		want   string
	}{
		{"email", seedPost, seedParams(), `{"username":"alice","email":"alice@example.com"}`},
		{"default scope is email", seedPost, seedParams("scope", ""), `{"username":"alice","email":"alice@example.com"}`},
		{"profile", tokenClient{id: profileClient.ID, secret: profileClient.Secret},
			seedParams("client_id", profileClient.ID, "redirect_uri", profileRedirect, "scope", "profile"), `{"username":"alice"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, mockprovider.WithClient(profileClient))
			cb := approve(t, srv, "alice", tt.params)
			tr := tokens(t, exchange(t, srv.URL, tt.client, cb.Get("code"), tt.params.Get("redirect_uri")))
			me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
			require.Equal(t, http.StatusOK, me.Status, me.Body)
			assert.JSONEq(t, tt.want, me.Body)
		})
	}
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	first := userTokens(t, srv, seedParams())

	refresh := func(c tokenClient, rt string, extra ...string) response {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		return postForm(t, srv.URL, "/oauth/token", c, form)
	}
	second := tokens(t, refresh(seedBasic, first.RefreshToken))
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
	assert.NotEqual(t, first.RefreshToken, second.RefreshToken)
	assert.Equal(t, "email", second.Scope)

	// The old refresh token is refused once rotated.
	assertTokenError(t, refresh(seedBasic, first.RefreshToken), http.StatusBadRequest, "invalid_grant")
	// Another client cannot use the new one.
	assertTokenError(t, refresh(tokenClient{id: secondClient.ID, secret: secondClient.Secret}, second.RefreshToken), http.StatusBadRequest, "invalid_grant")
	// A refresh cannot widen the scope.
	assertTokenError(t, refresh(seedPost, second.RefreshToken, "scope", "email profile"), http.StatusBadRequest, "invalid_scope")
	// An access token is not a refresh token.
	assertTokenError(t, refresh(seedPost, second.AccessToken), http.StatusBadRequest, "invalid_grant")
	// The new access token works.
	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+second.AccessToken)
	assert.Equal(t, http.StatusOK, me.Status, me.Body)
	// And the new refresh token rotates again.
	third := tokens(t, refresh(seedPost, second.RefreshToken))
	assert.NotEqual(t, second.RefreshToken, third.RefreshToken)
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	res := postForm(t, srv.URL, "/oauth/token", seedBasic, url.Values{"grant_type": {"client_credentials"}})
	tr := tokens(t, res)
	assert.Empty(t, tr.RefreshToken, "no refresh token for client_credentials (RFC 6749 §4.4.3)")
	assert.Equal(t, "email", tr.Scope)
	// The token has no user: the seed's resource refuses it.
	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, me.Status)
	assert.Contains(t, me.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
	// Unknown scope.
	res = postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"client_credentials"}, "scope": {"admin"}})
	assertTokenError(t, res, http.StatusBadRequest, "invalid_scope")
}

func TestRevokeAndIntrospect(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	tr := userTokens(t, srv, seedParams())
	introspect := func(c tokenClient, tok string) mockprovider.IntrospectionResponse {
		t.Helper()
		res := postForm(t, srv.URL, "/oauth/introspect", c, url.Values{"token": {tok}})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
		var ir mockprovider.IntrospectionResponse
		require.NoError(t, json.Unmarshal([]byte(res.Body), &ir))
		return ir
	}

	ir := introspect(seedBasic, tr.AccessToken)
	assert.Equal(t, mockprovider.IntrospectionResponse{
		Active: true, Scope: "email", ClientID: mockprovider.SeedClientID, Username: "alice", TokenType: "Bearer",
		Exp: mockprovider.DefaultEpoch.Add(time.Hour).Unix(), Iat: mockprovider.DefaultEpoch.Unix(), Sub: "alice",
	}, ir)
	assert.Equal(t, "refresh_token", introspect(seedPost, tr.RefreshToken).TokenType)
	assert.False(t, introspect(seedPost, "unknown-token").Active)

	// Introspection needs client authentication.
	res := postForm(t, srv.URL, "/oauth/introspect", tokenClient{}, url.Values{"token": {tr.AccessToken}})
	assertTokenError(t, res, http.StatusUnauthorized, "invalid_client")
	// Another client may not revoke the token.
	res = postForm(t, srv.URL, "/oauth/revoke", tokenClient{id: secondClient.ID, secret: secondClient.Secret, basic: true}, url.Values{"token": {tr.AccessToken}})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.True(t, introspect(seedPost, tr.AccessToken).Active)
	// A missing token parameter.
	res = postForm(t, srv.URL, "/oauth/revoke", seedPost, url.Values{})
	assertTokenError(t, res, http.StatusBadRequest, "invalid_request")
	// GET is not allowed.
	res = bearerGet(t, srv.URL, "/oauth/revoke")
	assert.Equal(t, http.StatusMethodNotAllowed, res.Status)

	// Revoking the refresh token revokes its access token too; an unknown
	// token is not an error (RFC 7009 §2.2).
	for _, tok := range []string{tr.RefreshToken, tr.RefreshToken, "unknown-token"} {
		res = postForm(t, srv.URL, "/oauth/revoke", seedPost, url.Values{"token": {tok}})
		assert.Equal(t, http.StatusOK, res.Status, res.Body)
	}
	assert.Equal(t, mockprovider.IntrospectionResponse{}, introspect(seedPost, tr.AccessToken))
	assert.False(t, introspect(seedPost, tr.RefreshToken).Active)
	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, me.Status)
	assert.Contains(t, me.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
}

func TestMetadata(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	res := bearerGet(t, srv.URL, "/.well-known/oauth-authorization-server")
	require.Equal(t, http.StatusOK, res.Status)
	assert.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "application/json"))
	var md mockprovider.Metadata
	require.NoError(t, json.Unmarshal([]byte(res.Body), &md))
	assert.Equal(t, srv.URL, md.Issuer, "the issuer is the base URL without a trailing slash (RFC 8414 §2)")
	assert.Equal(t, srv.Endpoint().AuthURL, md.AuthorizationEndpoint)
	assert.Equal(t, srv.Endpoint().TokenURL, md.TokenEndpoint)
	assert.Equal(t, srv.URL+"/oauth/revoke", md.RevocationEndpoint)
	assert.Equal(t, srv.URL+"/oauth/introspect", md.IntrospectionEndpoint)
	assert.Equal(t, srv.MeURL(), md.UserinfoEndpoint)
	assert.Equal(t, []string{"code"}, md.ResponseTypesSupported)
	assert.ElementsMatch(t, []string{"authorization_code", "refresh_token", "client_credentials"}, md.GrantTypesSupported)
	assert.ElementsMatch(t, []string{"client_secret_basic", "client_secret_post"}, md.TokenEndpointAuthMethodsSupported)
	assert.ElementsMatch(t, []string{"S256", "plain"}, md.CodeChallengeMethodsSupported)
	assert.Contains(t, md.ScopesSupported, "email")

	t.Run("s256 only", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t, mockprovider.WithPKCE(mockprovider.PKCERequiredS256))
		var md mockprovider.Metadata
		require.NoError(t, json.Unmarshal([]byte(bearerGet(t, srv.URL, "/.well-known/oauth-authorization-server").Body), &md))
		assert.Equal(t, []string{"S256"}, md.CodeChallengeMethodsSupported)
	})
	t.Run("POST refused", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t)
		res := postForm(t, srv.URL, "/.well-known/oauth-authorization-server", tokenClient{}, url.Values{})
		assert.Equal(t, http.StatusMethodNotAllowed, res.Status)
	})
}
