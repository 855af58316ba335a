package mockprovider_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// jwtClaims decodes the payload of a compact JWS without verifying it.
func jwtClaims(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	require.Len(t, parts, 3, raw)
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestDiscoveryDocument(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	res := bearerGet(t, srv.URL, mockprovider.PathDiscovery)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var md map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &md))
	assert.Equal(t, srv.URL, md["issuer"], "Discovery §4.3: issuer is the URL the document was fetched from")
	for field, want := range map[string]any{
		"jwks_uri": srv.URL + mockprovider.PathJWKS, "userinfo_endpoint": srv.URL + mockprovider.PathUserinfo,
		"end_session_endpoint": srv.URL + mockprovider.PathEndSession, "authorization_endpoint": srv.URL + mockprovider.PathAuthorize,
		"token_endpoint": srv.URL + mockprovider.PathToken, "authorization_response_iss_parameter_supported": true,
		"request_uri_parameter_supported": false,
	} {
		assert.Equal(t, want, md[field], field)
	}
	for field, want := range map[string]string{
		"scopes_supported": "openid", "response_types_supported": "code", "subject_types_supported": "public",
		"id_token_signing_alg_values_supported": "RS256", "claims_supported": "groups",
		"code_challenge_methods_supported": "S256", "grant_types_supported": "refresh_token",
		"token_endpoint_auth_methods_supported": "client_secret_basic",
	} {
		assert.Contains(t, md[field], want, field)
	}
	assert.NotContains(t, md["id_token_signing_alg_values_supported"], "none")
	var oauth map[string]any
	require.NoError(t, json.Unmarshal([]byte(bearerGet(t, srv.URL, mockprovider.PathMetadata).Body), &oauth))
	assert.Equal(t, md["issuer"], oauth["issuer"], "one issuer everywhere")
	assert.Equal(t, true, oauth["authorization_response_iss_parameter_supported"])
}

func jwks(t *testing.T, srv *mockprovider.Server) *jose.JSONWebKeySet {
	t.Helper()
	res := bearerGet(t, srv.URL, mockprovider.PathJWKS)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.NotContains(t, res.Body, `"d":`, "no private key material")
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(res.Body), &set))
	return &set
}

func TestJWKSAndKeyRotation(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	before := jwks(t, srv)
	require.Len(t, before.Keys, len(mockprovider.SigningAlgs()))
	for _, k := range before.Keys {
		assert.NotEmpty(t, k.KeyID)
		assert.Equal(t, "sig", k.Use)
		assert.True(t, k.IsPublic() && k.Valid(), k.KeyID)
	}
	oldKid := jwsKid(t, userTokens(t, srv, openIDParams()).IDToken)
	assert.Len(t, before.Key(oldKid), 1, "the id_token's kid is in the JWKS")

	res := control(t, srv, http.MethodPost, "/_mock/keys/rotate", `{"grace":"1h"}`)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	newKid := jwsKid(t, userTokens(t, srv, openIDParams()).IDToken)
	assert.NotEqual(t, oldKid, newKid, "tokens are signed with the new key")
	during := jwks(t, srv)
	assert.Len(t, during.Key(oldKid), 1, "the old key stays during the grace period")
	assert.Len(t, during.Key(newKid), 1)
	srv.Advance(time.Hour)
	assert.Empty(t, jwks(t, srv).Key(oldKid), "and leaves after it")

	bad := control(t, srv, http.MethodPost, "/_mock/keys/rotate", `{"grace":"soon"}`)
	assert.Equal(t, http.StatusBadRequest, bad.Status)
}

func jwsKid(t *testing.T, raw string) string {
	t.Helper()
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	return jws.Signatures[0].Header.KeyID
}

func TestUserinfo(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	tr := userTokens(t, srv, openIDParams("scope", "openid email"))
	plain := userTokens(t, srv, seedParams())
	form := func(v string) *strings.Reader { return strings.NewReader(url.Values{"access_token": {v}}.Encode()) }
	tests := []struct {
		name, method, auth string
		body               *strings.Reader
		status             int
		challenge          string
	}{
		{"GET with the header", http.MethodGet, "Bearer " + tr.AccessToken, nil, http.StatusOK, ""},
		{"POST with the header", http.MethodPost, "Bearer " + tr.AccessToken, nil, http.StatusOK, ""},
		{"POST with the form body", http.MethodPost, "", form(tr.AccessToken), http.StatusOK, ""},
		{"header and body", http.MethodPost, "Bearer " + tr.AccessToken, form(tr.AccessToken), http.StatusBadRequest, `error="invalid_request"`},
		{"no token", http.MethodGet, "", nil, http.StatusUnauthorized, `Bearer realm="mockprovider"`},
		{"unknown token", http.MethodGet, "Bearer nope", nil, http.StatusUnauthorized, `error="invalid_token"`},
		{"token without openid", http.MethodGet, "Bearer " + plain.AccessToken, nil, http.StatusForbidden, `scope="openid"`},
		{"PUT", http.MethodPut, "Bearer " + tr.AccessToken, nil, http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body *strings.Reader = strings.NewReader("")
			if tt.body != nil {
				body = tt.body
			}
			req, err := http.NewRequest(tt.method, srv.URL+mockprovider.PathUserinfo, body)
			require.NoError(t, err)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.body != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			r, err := testHTTP.Do(req)
			require.NoError(t, err)
			res := readResponse(t, r)
			assert.Equal(t, tt.status, res.Status, res.Body)
			assert.Contains(t, res.Header.Get("WWW-Authenticate"), tt.challenge)
			if tt.status == http.StatusUnauthorized && tt.auth == "" {
				assert.NotContains(t, res.Body, `"error"`, "RFC 6750 §3.1: no error code without credentials")
			}
			if tt.status != http.StatusOK {
				return
			}
			var claims map[string]any
			require.NoError(t, json.Unmarshal([]byte(res.Body), &claims))
			assert.Equal(t, jwtClaims(t, tr.IDToken)["sub"], claims["sub"], "OIDC Core §5.3.2")
			assert.Equal(t, "alice@example.com", claims["email"])
			assert.NotContains(t, claims, "name", "no profile scope, no name")
			assert.Equal(t, []any{"readers", "admins"}, claims["groups"], "custom claims")
		})
	}
	me := bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken)
	assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, me.Body, "/oauth/api/me stays the seed's")
}

func TestIssOnEveryAuthorizationResponse(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	ok := approve(t, srv, "alice", openIDParams())
	assert.Equal(t, srv.URL, ok.Get("iss"), "RFC 9207 §2 on success")
	res := newBrowser(t, srv.URL).get(mockprovider.PathAuthorize + "?" + seedParams("scope", "nope").Encode())
	errParams := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
	assert.Equal(t, "invalid_scope", errParams.Get("error"))
	assert.Equal(t, srv.URL, errParams.Get("iss"), "RFC 9207 §2 on errors")
}

func TestPromptNone(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	res := b.get(mockprovider.PathAuthorize + "?" + openIDParams("prompt", "none").Encode())
	cb := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
	assert.Equal(t, "login_required", cb.Get("error"))
	assert.Equal(t, "xyz", cb.Get("state"))
	assert.Equal(t, srv.URL, cb.Get("iss"))

	b.mustSignIn()
	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("prompt", "none").Encode())
	assert.Equal(t, "consent_required", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
	b.authorize(openIDParams())
	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("prompt", "none").Encode())
	assert.NotEmpty(t, callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code"), "consented before: no page needed")

	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("prompt", "none login").Encode())
	assert.Equal(t, "invalid_request", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
}

// authTimeAfter signs in through the browser for params and returns the
// auth_time of the id_token.
func authTime(t *testing.T, srv *mockprovider.Server, b *browser, params url.Values) float64 {
	t.Helper()
	cb := b.authorize(params)
	tr := tokens(t, exchange(t, srv.URL, seedPost, cb.Get("code"), mockprovider.SeedRedirectURI))
	return jwtClaims(t, tr.IDToken)["auth_time"].(float64)
}

func TestPromptLoginAndMaxAge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		wait  time.Duration
		extra []string
		again bool
	}{
		{"plain request keeps the session", 2 * time.Minute, nil, false},
		{"prompt=login asks again", 0, []string{"prompt", "login"}, true},
		{"max_age not reached", 30 * time.Second, []string{"max_age", "60"}, false},
		{"max_age exceeded", 2 * time.Minute, []string{"max_age", "60"}, true},
		{"max_age=0", time.Second, []string{"max_age", "0"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			first := authTime(t, srv, b, openIDParams())
			srv.Advance(tt.wait)
			res := b.get(mockprovider.PathAuthorize + "?" + openIDParams(tt.extra...).Encode())
			if !tt.again {
				assert.Equal(t, http.StatusOK, res.Status, "the consent page, no sign-in")
				return
			}
			require.Equal(t, http.StatusFound, res.Status)
			require.True(t, strings.HasPrefix(res.location(), mockprovider.PathLogin+"?next="), res.location())
			next, err := url.Parse(res.location())
			require.NoError(t, err)
			assert.NotContains(t, next.Query().Get("next"), "prompt=login", "no sign-in loop")
			signed := b.signIn("alice", "wonderland", next.Query().Get("next"))
			require.Equal(t, http.StatusSeeOther, signed.Status)
			page := b.get(signed.location())
			cb := callbackParams(t, b.consent(page, "yes").location(), mockprovider.SeedRedirectURI)
			tr := tokens(t, exchange(t, srv.URL, seedPost, cb.Get("code"), mockprovider.SeedRedirectURI))
			assert.Equal(t, first+tt.wait.Seconds(), jwtClaims(t, tr.IDToken)["auth_time"], "auth_time is the new sign-in")
		})
	}
}

func TestLoginHintPrefillsTheUsername(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	res := b.get(mockprovider.PathAuthorize + "?" + openIDParams("login_hint", "bob").Encode())
	page := b.get(res.location())
	assert.Contains(t, page.Body, `value="bob"`)
}

func TestIDTokenHint(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	aliceHint := userTokens(t, srv, openIDParams()).IDToken
	cbBob := approve(t, srv, "bob", openIDParams())
	bobHint := tokens(t, exchange(t, srv.URL, seedPost, cbBob.Get("code"), mockprovider.SeedRedirectURI)).IDToken
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	b.authorize(openIDParams())
	tests := []struct {
		name, hint, prompt string
		want               func(t *testing.T, res response)
	}{
		{"hint of the signed-in user", aliceHint, "none", func(t *testing.T, res response) {
			assert.NotEmpty(t, callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code"))
		}},
		{"hint of another user, prompt=none", bobHint, "none", func(t *testing.T, res response) {
			assert.Equal(t, "login_required", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
		}},
		{"hint of another user", bobHint, "", func(t *testing.T, res response) {
			assert.True(t, strings.HasPrefix(res.location(), mockprovider.PathLogin+"?next="), res.location())
		}},
		{"not our token", aliceHint[:len(aliceHint)-4] + "AAAA", "", func(t *testing.T, res response) {
			cb := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
			assert.Equal(t, "invalid_request", cb.Get("error"))
			assert.Contains(t, cb.Get("error_description"), "id_token_hint")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.get(mockprovider.PathAuthorize + "?" + openIDParams("id_token_hint", tt.hint, "prompt", tt.prompt).Encode())
			require.Equal(t, http.StatusFound, res.Status, res.Body)
			tt.want(t, res)
		})
	}
}

func TestJWTAccessTokens(t *testing.T) {
	t.Parallel()
	clients := mockprovider.DefaultClients()
	clients[0].AccessTokenFormat = mockprovider.AccessTokenJWT
	clients[0].Claims = map[string]any{"tier": "gold"}
	srv := mockprovider.NewTestServer(t, mockprovider.WithClients(clients...))
	tr := userTokens(t, srv, openIDParams())
	jws, err := jose.ParseSigned(tr.AccessToken, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	assert.Equal(t, "at+jwt", jws.Signatures[0].Header.ExtraHeaders["typ"], "RFC 9068 §2.1")
	keys := jwks(t, srv).Key(jws.Signatures[0].Header.KeyID)
	require.Len(t, keys, 1)
	_, err = jws.Verify(keys[0])
	require.NoError(t, err)
	claims := jwtClaims(t, tr.AccessToken)
	for _, name := range []string{"iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope"} {
		assert.Contains(t, claims, name, "RFC 9068 §2.2")
	}
	assert.Equal(t, "gold", claims["tier"], "the client's custom claim")
	assert.Equal(t, []any{"readers", "admins"}, claims["groups"], "the user's custom claim")
	me := bearerGet(t, srv.URL, mockprovider.PathMe, "Bearer "+tr.AccessToken)
	assert.Equal(t, http.StatusOK, me.Status, "the JWT is a bearer token of the provider's resources")
	assert.Equal(t, "gold", jwtClaims(t, tr.IDToken)["tier"], "and the id_token has it too")
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	const registered = "http://localhost:8000/"
	tests := []struct {
		name     string
		query    func(hint string) url.Values
		status   int
		location string
		loggedIn bool
	}{
		{"hint and registered redirect", func(h string) url.Values {
			return url.Values{"id_token_hint": {h}, "post_logout_redirect_uri": {registered}, "state": {"s1"}}
		}, http.StatusFound, registered + "?state=s1", false},
		{"unregistered redirect", func(h string) url.Values {
			return url.Values{"id_token_hint": {h}, "post_logout_redirect_uri": {"http://evil.example/"}}
		}, http.StatusBadRequest, "", true},
		{"redirect without a client", func(string) url.Values {
			return url.Values{"post_logout_redirect_uri": {registered}}
		}, http.StatusBadRequest, "", true},
		{"client_id not the hint's audience", func(h string) url.Values {
			return url.Values{"id_token_hint": {h}, "client_id": {secondClient.ID}}
		}, http.StatusBadRequest, "", true},
		{"forged hint", func(h string) url.Values { return url.Values{"id_token_hint": {h + "x"}} }, http.StatusBadRequest, "", true},
		{"no hint asks to confirm", func(string) url.Values {
			return url.Values{"client_id": {mockprovider.SeedClientID}, "post_logout_redirect_uri": {registered}}
		}, http.StatusOK, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			cb := b.authorize(openIDParams())
			hint := tokens(t, exchange(t, srv.URL, seedPost, cb.Get("code"), mockprovider.SeedRedirectURI)).IDToken
			res := b.get(mockprovider.PathEndSession + "?" + tt.query(hint).Encode())
			assert.Equal(t, tt.status, res.Status, res.Body)
			assert.Equal(t, tt.location, res.location())
			assert.Equal(t, tt.loggedIn, signedInAt(t, b))
		})
	}
}

// TestEndSessionGarbageHint: a hint that is no JWS at all is refused in
// the request's terms, without the JOSE library's parser text.
func TestEndSessionGarbageHint(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	for _, hint := range []string{"garbage", "a.b", "a.b.c", "!!!.@@@.###", "eyJhbGciOiJub25lIn0.e30."} {
		t.Run(hint, func(t *testing.T) {
			res := bearerGet(t, srv.URL, mockprovider.PathEndSession+"?"+url.Values{"id_token_hint": {hint}}.Encode())
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
			assert.Contains(t, res.Body, "id_token_hint is not a JWT this provider issued")
			for _, leak := range []string{"go-jose", "base64", "three parts", "illegal"} {
				assert.NotContains(t, res.Body, leak)
			}
		})
	}
}

func TestEndSessionConfirmation(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	q := url.Values{"client_id": {mockprovider.SeedClientID}, "post_logout_redirect_uri": {"http://localhost:8000/"}, "state": {"s2"}}
	page := b.get(mockprovider.PathEndSession + "?" + q.Encode())
	require.Equal(t, http.StatusOK, page.Status)
	form := url.Values{"csrf": {hidden(t, page.Body, "csrf")}, "client_id": {hidden(t, page.Body, "client_id")},
		"post_logout_redirect_uri": {hidden(t, page.Body, "post_logout_redirect_uri")}, "state": {hidden(t, page.Body, "state")}}
	forged := cloneValues(form)
	forged.Set("csrf", "nope")
	forged.Set("confirm", "yes")
	assert.Equal(t, http.StatusBadRequest, b.post(mockprovider.PathEndSession, forged).Status)
	assert.True(t, signedInAt(t, b))
	form.Set("confirm", "yes")
	res := b.post(mockprovider.PathEndSession, form)
	assert.Equal(t, http.StatusFound, res.Status)
	assert.Equal(t, "http://localhost:8000/?state=s2", res.location())
	assert.False(t, signedInAt(t, b))
}

// signedInAt reports whether the browser still has a session: an
// authorization request gets the consent page rather than the login.
func signedInAt(t *testing.T, b *browser) bool {
	t.Helper()
	return b.get(mockprovider.PathAuthorize+"?"+seedParams().Encode()).Status == http.StatusOK
}

func TestOpenIDResponsesAreDeterministic(t *testing.T) {
	t.Parallel()
	run := func() mockprovider.TokenResponse {
		// One issuer for both runs, whatever port each listens on.
		p, err := mockprovider.New(mockprovider.WithIssuer("http://127.0.0.1:9000"))
		require.NoError(t, err)
		ts := httptest.NewServer(p)
		t.Cleanup(ts.Close)
		params := openIDParams()
		back, err := p.Authorize("alice", "http://127.0.0.1:9000"+mockprovider.PathAuthorize+"?"+params.Encode())
		require.NoError(t, err)
		return tokens(t, exchange(t, ts.URL, seedPost, back.Query().Get("code"), mockprovider.SeedRedirectURI))
	}
	a, b := run(), run()
	assert.Equal(t, a, b, "same seed, same requests, same id_token (RS256 is deterministic)")
	assert.NotEmpty(t, a.IDToken)
}

func TestOpenIDEdgeCases(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := signedIn(t, srv)
	res := b.get(mockprovider.PathAuthorize + "?" + openIDParams("max_age", "99999999999999999").Encode())
	assert.Equal(t, http.StatusOK, res.Status, "a huge max_age is no limit, not an overflow")
	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("max_age", "-1").Encode())
	assert.Equal(t, "invalid_request", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("prompt", "select_account dance").Encode())
	assert.Equal(t, "invalid_request", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
	res = b.get(mockprovider.PathAuthorize + "?" + openIDParams("request", "eyJ.x.y").Encode())
	assert.Equal(t, "request_not_supported", callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))

	hint := userTokens(t, srv, openIDParams()).IDToken
	head, err := http.NewRequest(http.MethodHead, srv.URL+mockprovider.PathEndSession+"?id_token_hint="+hint, nil)
	require.NoError(t, err)
	r, err := testHTTP.Do(head)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, r.StatusCode, "HEAD changes nothing")
	b.get(mockprovider.PathEndSession + "?id_token_hint=" + hint)
	for _, rec := range srv.Requests() {
		for _, v := range rec.Query["id_token_hint"] {
			assert.NotEqual(t, hint, v, "the request log redacts id_token_hint")
		}
	}
}
