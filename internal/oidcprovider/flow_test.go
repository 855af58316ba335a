package oidcprovider_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockertestenv"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// TestCodeFlow starts the provider in each mode and runs the authorization
// code flow a browser would, with a cookie jar: sign-in (a wrong password
// first), consent, code, token with PKCE, the seed's resource, a refresh,
// and the revocation of the access token. Close must leave nothing running.
func TestCodeFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: installs oidc-provider with npm the first time")
	}
	for _, mode := range []runmode.Mode{runmode.Process, runmode.Docker} {
		t.Run(string(mode), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
			defer cancel()
			p, err := oidcprovider.Start(ctx, oidcprovider.Options{Mode: mode, Logger: testLogger(t)})
			if mode == runmode.Docker && errors.Is(err, dockerd.ErrNoEngine) {
				dockertestenv.SkipOrFail(t, err)
			}
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, p.Close()) })
			t.Logf("mode %s, ready in %s", p.Mode(), p.Started.Round(time.Millisecond))
			assert.True(t, strings.HasPrefix(p.Mode(), string(mode)), p.Mode())

			codeFlow(ctx, t, p)

			pids := p.PIDs()
			require.NotEmpty(t, pids)
			require.NoError(t, p.Close())
			assert.NoError(t, p.Close(), "Close is idempotent")
			_, err = http.Get(p.Issuer + "/.well-known/openid-configuration")
			assert.Error(t, err, "nothing answers at the issuer after Close")
			for _, pid := range pids {
				assert.True(t, processGone(pid), "process %d is gone after Close", pid)
			}
		})
	}
}

func codeFlow(ctx context.Context, t *testing.T, p *oidcprovider.Provider) {
	conf := p.OAuth2Config(oidcprovider.RolePrimary)
	conf.Scopes = []string{"email", "offline_access"}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("st@te/1", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("prompt", "consent"))
	browser := newBrowser(t)

	callback := browser.signIn(t, authURL, "alice", "wonderland")
	assert.Equal(t, "st@te/1", callback.Get("state"))
	assert.Equal(t, p.Issuer, callback.Get("iss"), "RFC 9207 iss on the authorization response")
	require.NotEmpty(t, callback.Get("code"), callback.Encode())

	tok, err := conf.Exchange(ctx, callback.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, "email offline_access", tok.Extra("scope"))
	require.NotEmpty(t, tok.RefreshToken, "offline_access with prompt=consent gives a refresh token")

	status, body := get(t, p.MeURL, tok.AccessToken)
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, body)

	fresh, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	status, body = get(t, p.MeURL, fresh.AccessToken)
	assert.Equal(t, http.StatusOK, status, body)

	revoke := url.Values{"token": {tok.AccessToken}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.Endpoints.Revocation, strings.NewReader(revoke.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(conf.ClientID, conf.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "RFC 7009 revocation")
	status, _ = get(t, p.MeURL, tok.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, status, "a revoked token is refused")
	// oidc-provider revokes every token of the grant with it, as RFC 7009
	// §2.1 allows (revokeByGrantId in lib/helpers/revoke.js).
	status, _ = get(t, p.MeURL, fresh.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, status, "the tokens of the same grant are revoked too")
}

// browser follows the provider's redirects with a cookie jar and stops at
// the client's redirect URI, where nothing listens.
type browser struct{ client *http.Client }

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{}}
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Port() == "8000" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	t.Cleanup(c.CloseIdleConnections)
	return &browser{client: c}
}

var formAction = regexp.MustCompile(`<form[^>]* action="([^"]+)"`)

// signIn opens authURL, signs in (first with a wrong password and with a
// repeated one, which must be refused), consents, and returns the
// callback's query.
func (b *browser) signIn(t *testing.T, authURL, user, password string) url.Values {
	page, status, _ := b.do(t, http.MethodGet, authURL, nil)
	require.Equal(t, http.StatusOK, status, page)
	login := action(t, page)
	page, status, _ = b.do(t, http.MethodPost, login, url.Values{"prompt": {"login"}, "login": {user}, "password": {"not-" + password}})
	require.Equal(t, http.StatusUnauthorized, status, "a wrong password is refused: %s", page)
	_, status, _ = b.do(t, http.MethodPost, login, url.Values{"prompt": {"login"}, "login": {user}, "password": {password, password}})
	require.Equal(t, http.StatusUnauthorized, status, "a repeated password field is refused")
	page, status, _ = b.do(t, http.MethodPost, login, url.Values{"prompt": {"login"}, "login": {user}, "password": {password}})
	require.Equal(t, http.StatusOK, status, page)
	require.Contains(t, page, "Authorize", "the consent page follows the sign-in")
	_, status, loc := b.do(t, http.MethodPost, action(t, page), url.Values{"prompt": {"consent"}})
	require.Equal(t, http.StatusSeeOther, status)
	u, err := url.Parse(loc)
	require.NoError(t, err)
	return u.Query()
}

func (b *browser) do(t *testing.T, method, u string, form url.Values) (body string, status int, location string) {
	var r io.Reader
	if form != nil {
		r = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, r)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(raw), resp.StatusCode, resp.Header.Get("Location")
}

func action(t *testing.T, page string) string {
	m := formAction.FindStringSubmatch(page)
	require.NotNil(t, m, "a form in %s", page)
	return m[1]
}

func get(t *testing.T, u, token string) (int, string) {
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var v json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, string(v)
}

// processGone reports whether no process has pid.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// testLogger writes the package's progress to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}
