package mockprovider_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func basicHeader(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func TestTokenBadInput(t *testing.T) {
	t.Parallel()
	const form = "application/x-www-form-urlencoded"
	seedAuth := basicHeader(mockprovider.SeedClientID, mockprovider.SeedClientSecret)
	cc := "grant_type=client_credentials"
	post := "client_id=" + mockprovider.SeedClientID + "&client_secret=" + mockprovider.SeedClientSecret
	tests := []struct {
		name        string
		method      string
		contentType string
		auth        []string
		body        string
		status      int
		error       string
	}{
		{"GET", http.MethodGet, "", []string{seedAuth}, "", http.StatusMethodNotAllowed, "invalid_request"},
		{"PUT", http.MethodPut, form, []string{seedAuth}, cc, http.StatusMethodNotAllowed, "invalid_request"},
		{"wrong content type", http.MethodPost, "text/plain", []string{seedAuth}, cc, http.StatusBadRequest, "invalid_request"},
		{"no content type", http.MethodPost, "", []string{seedAuth}, cc, http.StatusBadRequest, "invalid_request"},
		{"JSON body", http.MethodPost, "application/json", []string{seedAuth}, `{"grant_type":"client_credentials"}`, http.StatusBadRequest, "invalid_request"},
		{"oversized body", http.MethodPost, form, []string{seedAuth}, cc + "&pad=" + strings.Repeat("a", 70<<10), http.StatusBadRequest, "invalid_request"},
		{"oversized parameter", http.MethodPost, form, []string{seedAuth}, cc + "&scope=" + strings.Repeat("a", 5000), http.StatusBadRequest, "invalid_request"},
		{"malformed body", http.MethodPost, form, []string{seedAuth}, cc + "&scope=%zz", http.StatusBadRequest, "invalid_request"},
		{"repeated parameter", http.MethodPost, form, []string{seedAuth}, cc + "&" + cc, http.StatusBadRequest, "invalid_request"},
		{"repeated client_id", http.MethodPost, form, nil, cc + "&" + post + "&client_id=" + mockprovider.SeedClientID, http.StatusBadRequest, "invalid_request"},
		{"invalid UTF-8", http.MethodPost, form, []string{seedAuth}, cc + "&scope=%ff", http.StatusBadRequest, "invalid_request"},
		{"control character", http.MethodPost, form, []string{seedAuth}, cc + "&scope=%00", http.StatusBadRequest, "invalid_request"},
		{"missing grant_type", http.MethodPost, form, []string{seedAuth}, "scope=email", http.StatusBadRequest, "invalid_request"},
		{"empty grant_type", http.MethodPost, form, []string{seedAuth}, "grant_type=", http.StatusBadRequest, "invalid_request"},
		{"unsupported grant_type", http.MethodPost, form, []string{seedAuth}, "grant_type=password&username=alice&password=wonderland", http.StatusBadRequest, "unsupported_grant_type"},
		{"missing code", http.MethodPost, form, []string{seedAuth}, "grant_type=authorization_code", http.StatusBadRequest, "invalid_request"},
		{"unknown code", http.MethodPost, form, []string{seedAuth}, "grant_type=authorization_code&code=nope", http.StatusBadRequest, "invalid_grant"},
		{"missing refresh_token", http.MethodPost, form, []string{seedAuth}, "grant_type=refresh_token", http.StatusBadRequest, "invalid_request"},
		{"malformed Basic header", http.MethodPost, form, []string{"Basic !!!not-base64"}, cc, http.StatusUnauthorized, "invalid_client"},
		{"Basic without colon", http.MethodPost, form, []string{"Basic " + base64.StdEncoding.EncodeToString([]byte(mockprovider.SeedClientID))}, cc, http.StatusUnauthorized, "invalid_client"},
		{"Basic with bad escaping", http.MethodPost, form, []string{basicHeader("%zz", "x")}, cc, http.StatusUnauthorized, "invalid_client"},
		{"Basic scheme alone", http.MethodPost, form, []string{"Basic"}, cc, http.StatusUnauthorized, "invalid_client"},
		{"Bearer header", http.MethodPost, form, []string{"Bearer sometoken"}, cc, http.StatusUnauthorized, "invalid_client"},
		{"both basic and post", http.MethodPost, form, []string{seedAuth}, cc + "&" + post, http.StatusBadRequest, "invalid_request"},
		{"body client_id differs from Basic", http.MethodPost, form, []string{seedAuth}, cc + "&client_id=" + secondClient.ID, http.StatusBadRequest, "invalid_request"},
		{"wrong secret (basic)", http.MethodPost, form, []string{basicHeader(mockprovider.SeedClientID, "wrong")}, cc, http.StatusUnauthorized, "invalid_client"},
		{"wrong secret (post)", http.MethodPost, form, nil, cc + "&client_id=" + mockprovider.SeedClientID + "&client_secret=wrong", http.StatusUnauthorized, "invalid_client"},
		{"other client's secret", http.MethodPost, form, []string{basicHeader(mockprovider.SeedClientID, secondClient.Secret)}, cc, http.StatusUnauthorized, "invalid_client"},
		{"unknown client", http.MethodPost, form, []string{basicHeader("nobody", "x")}, cc, http.StatusUnauthorized, "invalid_client"},
		{"client_id without secret", http.MethodPost, form, nil, cc + "&client_id=" + mockprovider.SeedClientID, http.StatusUnauthorized, "invalid_client"},
		{"no client authentication", http.MethodPost, form, nil, cc, http.StatusUnauthorized, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			var body *strings.Reader
			body = strings.NewReader(tt.body)
			req, err := http.NewRequest(tt.method, srv.URL+"/oauth/token", body)
			require.NoError(t, err)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			for _, a := range tt.auth {
				req.Header.Add("Authorization", a)
			}
			res, err := testHTTP.Do(req)
			require.NoError(t, err)
			r := readResponse(t, res)
			assertTokenError(t, r, tt.status, tt.error)
			if tt.error == "invalid_client" {
				assert.Equal(t, `Basic realm="mockprovider", charset="UTF-8"`, r.Header.Get("WWW-Authenticate"))
			} else {
				assert.Empty(t, r.Header.Get("WWW-Authenticate"))
			}
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "POST", r.Header.Get("Allow"))
			}
		})
	}
}

// codeSetup is a provider and a fresh code of the seed client for alice.
type codeSetup struct {
	srv  *mockprovider.Server
	code string
}

func newCode(t *testing.T, params url.Values) codeSetup {
	t.Helper()
	srv := mockprovider.NewTestServer(t)
	return codeSetup{srv: srv, code: approve(t, srv, "alice", params).Get("code")}
}

func TestCodeReuseRevokesTokens(t *testing.T) {
	t.Parallel()
	cs := newCode(t, seedParams())
	first := tokens(t, exchange(t, cs.srv.URL, seedBasic, cs.code, mockprovider.SeedRedirectURI))
	me := bearerGet(t, cs.srv.URL, "/oauth/api/me", "Bearer "+first.AccessToken)
	require.Equal(t, http.StatusOK, me.Status)

	again := exchange(t, cs.srv.URL, seedBasic, cs.code, mockprovider.SeedRedirectURI)
	assertTokenError(t, again, http.StatusBadRequest, "invalid_grant")

	me = bearerGet(t, cs.srv.URL, "/oauth/api/me", "Bearer "+first.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, me.Status)
	assert.Contains(t, me.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
	res := postForm(t, cs.srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
	assertTokenError(t, res, http.StatusBadRequest, "invalid_grant")
}

// TestCodeReuseRevokesRefreshedTokens checks that the tokens obtained by
// refreshing the first exchange's refresh token are revoked too: they are
// "based on that authorization code" (RFC 6749 §4.1.2).
func TestCodeReuseRevokesRefreshedTokens(t *testing.T) {
	t.Parallel()
	cs := newCode(t, seedParams())
	first := tokens(t, exchange(t, cs.srv.URL, seedBasic, cs.code, mockprovider.SeedRedirectURI))
	refreshed := tokens(t, postForm(t, cs.srv.URL, "/oauth/token", seedPost,
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}}))

	assertTokenError(t, exchange(t, cs.srv.URL, seedBasic, cs.code, mockprovider.SeedRedirectURI), http.StatusBadRequest, "invalid_grant")

	for _, at := range []string{first.AccessToken, refreshed.AccessToken} {
		me := bearerGet(t, cs.srv.URL, "/oauth/api/me", "Bearer "+at)
		assert.Equal(t, http.StatusUnauthorized, me.Status)
	}
	res := postForm(t, cs.srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshed.RefreshToken}})
	assertTokenError(t, res, http.StatusBadRequest, "invalid_grant")
}

func TestCodeRules(t *testing.T) {
	t.Parallel()
	other := tokenClient{id: secondClient.ID, secret: secondClient.Secret}
	s256 := seedParams("code_challenge", challenge, "code_challenge_method", "S256")
	plain := seedParams("code_challenge", verifier, "code_challenge_method", "plain")
	plainDefault := seedParams("code_challenge", verifier)
	tests := []struct {
		name     string
		params   url.Values
		advance  time.Duration
		client   tokenClient
		redirect string
		extra    []string
		error    string // "" for success
	}{
		{"valid", seedParams(), 0, seedPost, mockprovider.SeedRedirectURI, nil, ""},
		{"9m59s old", seedParams(), 9*time.Minute + 59*time.Second, seedPost, mockprovider.SeedRedirectURI, nil, ""},
		{"expired after 10m", seedParams(), 10 * time.Minute, seedPost, mockprovider.SeedRedirectURI, nil, "invalid_grant"},
		{"other client", seedParams(), 0, other, mockprovider.SeedRedirectURI, nil, "invalid_grant"},
		{"other client with its own redirect", seedParams(), 0, other, secondClient.RedirectURIs[0], nil, "invalid_grant"},
		{"redirect_uri differs", seedParams(), 0, seedPost, "http://localhost:8000/authorized/", nil, "invalid_grant"},
		{"redirect_uri scheme differs", seedParams(), 0, seedPost, "https://localhost:8000/authorized", nil, "invalid_grant"},
		{"redirect_uri omitted though sent", seedParams(), 0, seedPost, "", nil, "invalid_grant"},
		{"redirect_uri sent though omitted", seedParams("redirect_uri", ""), 0, seedPost, mockprovider.SeedRedirectURI, nil, ""},
		{"redirect_uri differs though omitted", seedParams("redirect_uri", ""), 0, seedPost, "http://localhost:8000/other", nil, "invalid_grant"},
		{"PKCE S256", s256, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", verifier}, ""},
		{"PKCE plain", plain, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", verifier}, ""},
		{"PKCE plain by default", plainDefault, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", verifier}, ""},
		{"PKCE wrong verifier", s256, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", verifier + "x"}, "invalid_grant"},
		{"PKCE malformed verifier", s256, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", "short"}, "invalid_grant"},
		{"PKCE missing verifier", s256, 0, seedPost, mockprovider.SeedRedirectURI, nil, "invalid_grant"},
		{"PKCE verifier is the S256 challenge", s256, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", challenge}, "invalid_grant"},
		{"PKCE plain wrong verifier", plain, 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", challenge}, "invalid_grant"},
		{"PKCE verifier without challenge", seedParams(), 0, seedPost, mockprovider.SeedRedirectURI, []string{"code_verifier", verifier}, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cs := newCode(t, tt.params)
			require.NoError(t, cs.srv.Advance(tt.advance))
			res := exchange(t, cs.srv.URL, tt.client, cs.code, tt.redirect, tt.extra...)
			if tt.error == "" {
				tr := tokens(t, res)
				assert.Equal(t, "email", tr.Scope)
				return
			}
			assertTokenError(t, res, http.StatusBadRequest, tt.error)
			if tt.advance == 0 {
				// A refused exchange does not use the code up: the rightful
				// request still succeeds.
				redirect := tt.params.Get("redirect_uri")
				var extra []string
				if tt.params.Get("code_challenge") != "" {
					extra = []string{"code_verifier", verifier}
				}
				tokens(t, exchange(t, cs.srv.URL, seedPost, cs.code, redirect, extra...))
			}
		})
	}
}

func TestPublicClient(t *testing.T) {
	t.Parallel()
	const redirect = "http://127.0.0.1:9004/cb"
	public := mockprovider.Client{ID: "public-app", Public: true, Scopes: []string{"email"}, RedirectURIs: []string{redirect}}
	srv := mockprovider.NewTestServer(t, mockprovider.WithClient(public))

	// Without PKCE the request is refused and redirected.
	assert.Equal(t, "invalid_request", approve(t, srv, "alice", seedParams("client_id", public.ID, "redirect_uri", redirect)).Get("error"))

	code := approve(t, srv, "alice", seedParams("client_id", public.ID, "redirect_uri", redirect, "code_challenge", challenge, "code_challenge_method", "S256")).Get("code")
	// A public client may not send a secret.
	r := exchange(t, srv.URL, tokenClient{id: public.ID, secret: "x"}, code, redirect, "code_verifier", verifier)
	assertTokenError(t, r, http.StatusUnauthorized, "invalid_client")
	tokens(t, exchange(t, srv.URL, tokenClient{id: public.ID}, code, redirect, "code_verifier", verifier))
	// Nor use client_credentials.
	r = postForm(t, srv.URL, "/oauth/token", tokenClient{id: public.ID}, url.Values{"grant_type": {"client_credentials"}})
	assertTokenError(t, r, http.StatusBadRequest, "unauthorized_client")
}

func TestClientAuthMethodRestricted(t *testing.T) {
	t.Parallel()
	c := mockprovider.Client{ID: "post-only", Secret: "post-secret", Scopes: []string{"email"},
		RedirectURIs: []string{"http://localhost:9005/cb"}, AuthMethod: mockprovider.AuthMethodPost}
	srv := mockprovider.NewTestServer(t, mockprovider.WithClient(c))
	cc := url.Values{"grant_type": {"client_credentials"}}
	res := postForm(t, srv.URL, "/oauth/token", tokenClient{id: c.ID, secret: c.Secret, basic: true}, cc)
	assertTokenError(t, res, http.StatusUnauthorized, "invalid_client")
	tokens(t, postForm(t, srv.URL, "/oauth/token", tokenClient{id: c.ID, secret: c.Secret}, cc))
}
