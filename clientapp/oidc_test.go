package clientapp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// openIDApp is the App for the seed client against a mock, with scope
// openid and the mock's clock.
func openIDApp(t *testing.T, srv *mockprovider.Server) *clientapp.App {
	t.Helper()
	cfg := clientapp.ConfigFromProviderURL(srv.URL)
	cfg.Scopes = []string{"openid", "email"}
	cfg.Now = srv.Now
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{}}
	return newApp(t, cfg)
}

// openIDSignIn runs a sign-in where alice approves at the mock, and
// returns the callback's answer.
func openIDSignIn(t *testing.T, app http.Handler, srv *mockprovider.Server) *http.Response {
	t.Helper()
	authURL, state := startSignIn(t, app)
	assert.NotEmpty(t, authURL.Query().Get("nonce"), "a nonce with scope openid")
	back, err := srv.Authorize("alice", authURL.String())
	require.NoError(t, err)
	return serve(app, http.MethodGet, back.RequestURI(), state)
}

func TestOpenIDSignIn(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	app := openIDApp(t, srv)
	resp := openIDSignIn(t, app, srv)
	text := body(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, text)
	var got struct {
		OAuthToken    string         `json:"oauth_token"`
		User          map[string]any `json:"user"`
		IDTokenClaims map[string]any `json:"id_token_claims"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &got))
	assert.NotEmpty(t, got.OAuthToken)
	assert.Equal(t, "alice", got.User["username"], "the seed's JSON stays")
	assert.Equal(t, mockprovider.DefaultSubject("alice"), got.IDTokenClaims["sub"])
	assert.Equal(t, "alice@example.com", got.IDTokenClaims["email"])
	session := cookieNamed(resp, clientapp.SessionCookie)
	require.NotNil(t, session)

	out := serve(app, http.MethodGet, "/logout", session)
	require.Equal(t, http.StatusFound, out.StatusCode)
	logout, err := url.Parse(out.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+mockprovider.PathEndSession, logout.Scheme+"://"+logout.Host+logout.Path, "RP-Initiated Logout")
	assert.Equal(t, "http://localhost:8000/", logout.Query().Get("post_logout_redirect_uri"))
	assert.NotEmpty(t, logout.Query().Get("id_token_hint"))
	noRedirect := &http.Client{Transport: &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(logout.String())
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, "http://localhost:8000/", res.Header.Get("Location"), "the mock accepts the App's logout request")
}

func TestOpenIDBadTokensNameTheCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quirk  mockprovider.Quirk
		status int
		check  string
	}{
		{mockprovider.QuirkIDTokenWrongAudience, http.StatusBadGateway, "the aud check"},
		{mockprovider.QuirkIDTokenNonceDropped, http.StatusBadGateway, "the nonce check"},
		{mockprovider.QuirkIDTokenUnsigned, http.StatusBadGateway, "the alg check"},
		{mockprovider.QuirkIDTokenHS256, http.StatusBadGateway, "the alg check"},
		{mockprovider.QuirkIssuerTrailingSlash, http.StatusBadGateway, "the iss check"},
		{mockprovider.QuirkJWKSMissingKid, http.StatusBadGateway, "the signature check"},
		{mockprovider.QuirkIDTokenExpired, http.StatusBadGateway, "the exp check"},
		{mockprovider.QuirkIDTokenFutureIat, http.StatusBadGateway, "the nbf check"},
		{mockprovider.QuirkAtHashWrong, http.StatusBadGateway, "the at_hash check"},
		{mockprovider.QuirkIssParamMissing, http.StatusBadRequest, "no iss parameter"},
	}
	for _, tt := range tests {
		t.Run(string(tt.quirk), func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, mockprovider.WithQuirks(tt.quirk))
			resp := openIDSignIn(t, openIDApp(t, srv), srv)
			text := body(t, resp)
			assert.Equal(t, tt.status, resp.StatusCode, text)
			assert.Contains(t, text, tt.check)
			assert.Nil(t, cookieNamed(resp, clientapp.SessionCookie), "no session")
		})
	}
}

func TestCallbackFromAnotherIssuer(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	app := openIDApp(t, srv)
	authURL, state := startSignIn(t, app)
	back, err := srv.Authorize("alice", authURL.String())
	require.NoError(t, err)
	q := back.Query()
	q.Set("iss", "https://attacker.example")
	resp := serve(app, http.MethodGet, back.Path+"?"+q.Encode(), state)
	text := body(t, resp)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, text, "issuer mismatch")
	assert.Empty(t, requestsTo(srv, mockprovider.PathToken), "no token was requested")
}

func TestOpenIDNeedsAnIssuer(t *testing.T) {
	t.Parallel()
	cfg := clientapp.DefaultConfig()
	cfg.Scopes, cfg.Issuer = []string{"openid"}, ""
	_, err := clientapp.New(cfg)
	assert.ErrorContains(t, err, "scope openid needs Issuer")
	cfg.Issuer = "not a URL"
	_, err = clientapp.New(cfg)
	assert.ErrorContains(t, err, "Issuer")
}
