package mockprovider_test

import (
	"context"
	"errors"
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

func TestStart(t *testing.T) {
	t.Parallel()
	srv, err := mockprovider.Start(mockprovider.WithPKCE("always"))
	assert.ErrorContains(t, err, "unknown PKCE policy")
	assert.Nil(t, srv)

	srv, err = mockprovider.Start()
	require.NoError(t, err)
	defer srv.Close()
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.Equal(t, http.StatusOK, bearerGet(t, srv.URL, mockprovider.PathMetadata).Status)
}

func TestNewTestServerClosesAtCleanup(t *testing.T) {
	t.Parallel()
	var base string
	t.Run("test", func(t *testing.T) {
		base = mockprovider.NewTestServer(t).URL
		_, err := testHTTP.Get(base + mockprovider.PathMetadata)
		require.NoError(t, err)
	})
	_, err := testHTTP.Get(base + mockprovider.PathMetadata)
	assert.Error(t, err, "closed when the test ended")
}

func TestClients(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	res, err := srv.Client().Get(srv.URL + mockprovider.PathLogout)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "Client follows the redirect to /, as httptest's does")
	res, err = srv.NoRedirectClient().Get(srv.URL + mockprovider.PathLogout)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusSeeOther, res.StatusCode)
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     []mockprovider.Option
		user     string
		params   url.Values
		wantErr  string // an error instead of a redirect
		wantCode bool
		redirect string // error in the redirect
	}{
		{"code", nil, "alice", seedParams(), "", true, ""},
		{"bob", nil, "bob", seedParams("scope", "email profile"), "", true, ""},
		{"unknown scope redirected", nil, "alice", seedParams("scope", "admin"), "", false, "invalid_scope"},
		{"PKCE required", []mockprovider.Option{mockprovider.WithPKCE(mockprovider.PKCERequired)}, "alice", seedParams(), "", false, "invalid_request"},
		{"unsupported response_type", nil, "alice", seedParams("response_type", "token"), "", false, "unsupported_response_type"},
		{"unknown user", nil, "mallory", seedParams(), "no user", false, ""},
		{"unknown client", nil, "alice", seedParams("client_id", "nobody"), "Unknown client", false, ""},
		{"unregistered redirect", nil, "alice", seedParams("redirect_uri", "https://localhost:8000/authorized"), "Redirect URI mismatch", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, tt.opts...)
			back, err := srv.Authorize(tt.user, srv.URL+mockprovider.PathAuthorize+"?"+tt.params.Encode())
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Empty(t, srv.Requests(), "no HTTP request")
				return
			}
			require.NoError(t, err)
			q := callbackParams(t, back.String(), mockprovider.SeedRedirectURI)
			assert.Equal(t, "xyz", q.Get("state"))
			assert.Equal(t, tt.redirect, q.Get("error"))
			assert.Equal(t, tt.wantCode, q.Get("code") != "")
			if tt.wantCode {
				tr := tokens(t, exchange(t, srv.URL, seedPost, q.Get("code"), mockprovider.SeedRedirectURI))
				me := bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken)
				assert.Contains(t, me.Body, `"username":"`+tt.user+`"`)
			}
		})
	}
}

func TestAuthorizationCode(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	verifier := oauth2.GenerateVerifier()
	code, err := srv.AuthorizationCode("alice", conf, "s1", oauth2.S256ChallengeOption(verifier))
	require.NoError(t, err)
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, srv.Client())
	_, err = conf.Exchange(ctx, code)
	assert.ErrorContains(t, err, "invalid_grant", "the code is bound to the challenge")

	code, err = srv.AuthorizationCode("alice", conf, "s2", oauth2.S256ChallengeOption(verifier))
	require.NoError(t, err)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, "email", tok.Extra("scope"))

	conf.Scopes = []string{"admin"}
	_, err = srv.AuthorizationCode("alice", conf, "s3")
	assert.ErrorIs(t, err, mockprovider.ErrInvalidScope)
	var e *mockprovider.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, http.StatusBadRequest, e.Status)
	assert.Contains(t, e.Description, "admin")
}

func TestServerToken(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t, mockprovider.WithPKCE(mockprovider.PKCERequiredS256))
	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI, "email", "profile")
	tok, err := srv.Token(t.Context(), "bob", conf)
	require.NoError(t, err)
	assert.Equal(t, "email profile", tok.Extra("scope"))
	assert.NotEmpty(t, tok.RefreshToken)
	me := bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tok.AccessToken)
	assert.JSONEq(t, `{"username":"bob","email":"bob@example.com"}`, me.Body)

	_, err = srv.Token(t.Context(), "nobody", conf)
	assert.ErrorIs(t, err, mockprovider.ErrAccessDenied)
}

func TestQueueError(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	tr := userTokens(t, srv, seedParams())
	cc := url.Values{"grant_type": {"client_credentials"}}

	srv.QueueError(mockprovider.PathToken, mockprovider.ErrInvalidGrant.WithDescription("injected"))
	srv.QueueError(mockprovider.PathToken, mockprovider.ErrInvalidClient)
	res := postForm(t, srv.URL, mockprovider.PathToken, seedPost, cc)
	assertTokenError(t, res, http.StatusBadRequest, "invalid_grant")
	assert.Contains(t, res.Body, "injected")
	res = postForm(t, srv.URL, mockprovider.PathToken, seedPost, cc)
	assertTokenError(t, res, http.StatusUnauthorized, "invalid_client")
	assert.Contains(t, res.Header.Get("WWW-Authenticate"), "Basic")
	tokens(t, postForm(t, srv.URL, mockprovider.PathToken, seedPost, cc)) // once each

	srv.QueueError(mockprovider.PathMe, mockprovider.ErrInvalidToken.WithDescription("injected"))
	me := bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, me.Status)
	assert.Equal(t, `Bearer realm="mockprovider", error="invalid_token", error_description="injected"`, me.Header.Get("WWW-Authenticate"))
	assert.Equal(t, http.StatusOK, bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken).Status)

	srv.QueueError(mockprovider.PathAuthorize, mockprovider.ErrServerError.WithDescription("injected"))
	page := bearerGet(t, srv.URL, mockprovider.PathAuthorize+"?"+seedParams("redirect_uri", "http://evil.example/").Encode())
	assert.Equal(t, http.StatusBadRequest, page.Status, "an untrusted redirect URI still gets the error page")
	q := approve(t, srv, "alice", seedParams())
	assert.Equal(t, "server_error", q.Get("error"))
	assert.Equal(t, "injected", q.Get("error_description"))
	assert.Equal(t, "xyz", q.Get("state"))
	assert.NotEmpty(t, approve(t, srv, "alice", seedParams()).Get("code"))
}

func TestQueueResponse(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	srv.QueueResponse(mockprovider.PathToken, mockprovider.Response{
		Status: http.StatusBadGateway, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<h1>Bad Gateway</h1>"})
	srv.QueueResponse(mockprovider.PathMe, mockprovider.Response{Status: http.StatusOK, Body: "{"})
	res := postForm(t, srv.URL, mockprovider.PathToken, seedPost, url.Values{"grant_type": {"client_credentials"}})
	assert.Equal(t, http.StatusBadGateway, res.Status)
	assert.Equal(t, "text/html", res.Header.Get("Content-Type"))
	assert.Equal(t, "<h1>Bad Gateway</h1>", res.Body)
	me := bearerGet(t, srv.URL, mockprovider.PathMe)
	assert.Equal(t, "{", me.Body)
	assert.Equal(t, "text/plain; charset=utf-8", me.Header.Get("Content-Type"))

	srv.QueueResponse(mockprovider.PathMe, mockprovider.Response{Status: http.StatusTeapot})
	srv.Reset()
	assert.Equal(t, http.StatusUnauthorized, bearerGet(t, srv.URL, mockprovider.PathMe).Status, "Reset forgets queued answers")
}

func TestAutoApprove(t *testing.T) {
	t.Parallel()
	_, err := mockprovider.Start(mockprovider.WithAutoApprove("mallory"))
	assert.ErrorContains(t, err, `auto-approve user "mallory"`)

	srv := mockprovider.NewTestServer(t, mockprovider.WithAutoApprove("bob"))
	res, err := srv.NoRedirectClient().Get(srv.URL + mockprovider.PathAuthorize + "?" + seedParams().Encode())
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	q := callbackParams(t, res.Header.Get("Location"), mockprovider.SeedRedirectURI)
	tr := tokens(t, exchange(t, srv.URL, seedPost, q.Get("code"), mockprovider.SeedRedirectURI))
	assert.Contains(t, bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken).Body, `"username":"bob"`)

	// A signed-in browser still acts for its own user, on the consent page.
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	assert.NotEmpty(t, b.authorize(seedParams()).Get("code"))
}

func TestRefreshLifetime(t *testing.T) {
	t.Parallel()
	_, err := mockprovider.Start(mockprovider.WithRefreshLifetime(0))
	assert.ErrorContains(t, err, "lifetimes must be positive")

	srv := mockprovider.NewTestServer(t, mockprovider.WithRefreshLifetime(2*time.Hour))
	refresh := url.Values{"grant_type": {"refresh_token"}}
	refresh.Set("refresh_token", userTokens(t, srv, seedParams()).RefreshToken)
	require.NoError(t, srv.Advance(time.Hour))
	tr := tokens(t, postForm(t, srv.URL, mockprovider.PathToken, seedPost, refresh))
	refresh.Set("refresh_token", tr.RefreshToken)
	require.NoError(t, srv.Advance(2*time.Hour))
	assertTokenError(t, postForm(t, srv.URL, mockprovider.PathToken, seedPost, refresh), http.StatusBadRequest, "invalid_grant")
}
