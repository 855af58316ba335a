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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// control sends a request to the control API over HTTP.
func control(t *testing.T, srv *mockprovider.Server, method, path, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost || method == http.MethodPut {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := testHTTP.Do(req)
	require.NoError(t, err)
	return readResponse(t, res)
}

func TestControlRequestsRedacted(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	login := b.get("/oauth?next=/")
	csrf := hidden(t, login.Body, "csrf")
	require.Equal(t, http.StatusSeeOther, b.post("/oauth", url.Values{"username": {"alice"}, "password": {"wonderland"}, "csrf": {csrf}}).Status)
	page := b.get("/oauth/authorize?" + seedParams("code_challenge", challenge, "code_challenge_method", "S256").Encode())
	consentID := hidden(t, page.Body, "consent_id")
	res := b.consent(page, "yes")
	code := callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code")
	tr := tokens(t, exchange(t, srv.URL, seedBasic, code, mockprovider.SeedRedirectURI, "code_verifier", verifier))
	tokens(t, postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}}))
	bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	bearerGet(t, srv.URL, "/oauth/api/me?access_token="+tr.AccessToken)
	postForm(t, srv.URL, "/oauth/introspect", seedPost, url.Values{"token": {tr.AccessToken}})
	// Credentials in odd places: a header without a scheme, a secret in
	// the query string.
	bearerGet(t, srv.URL, "/oauth/api/me", tr.AccessToken)
	bearerGet(t, srv.URL, "/oauth/token?client_secret="+mockprovider.SeedClientSecret, mockprovider.SeedClientSecret)

	res = control(t, srv, http.MethodGet, "/_mock/requests", "")
	require.Equal(t, http.StatusOK, res.Status)
	basic := base64.StdEncoding.EncodeToString([]byte(mockprovider.SeedClientID + ":" + mockprovider.SeedClientSecret))
	for name, secret := range map[string]string{
		"client_secret": mockprovider.SeedClientSecret, "code": code, "password": "wonderland", "Basic credentials": basic,
		"access token": tr.AccessToken, "refresh token": tr.RefreshToken, "csrf": csrf, "consent_id": consentID,
		"code_verifier": verifier, "secret prefix": mockprovider.SeedClientSecret[:12], "token prefix": tr.AccessToken[:12],
	} {
		assert.NotContains(t, res.Body, secret, "%s in clear in the request log", name)
	}
	assert.Contains(t, res.Body, mockprovider.Redact(code), "a redacted value keeps a fingerprint")
	assert.Contains(t, res.Body, mockprovider.Redact(mockprovider.SeedClientSecret))

	var records []mockprovider.RequestRecord
	require.NoError(t, json.Unmarshal([]byte(res.Body), &records))
	assert.Equal(t, srv.Requests(), records)
	for i, r := range records {
		assert.Equal(t, i+1, r.Seq)
		assert.Equal(t, mockprovider.DefaultEpoch, r.Time)
		assert.NotContains(t, r.Path, "/_mock/", "control requests are not logged")
	}
	assert.Equal(t, "/oauth", records[0].Path)
	assert.Equal(t, http.StatusOK, records[0].Status)
	assert.Equal(t, "Basic "+mockprovider.Redact(basic), records[4].Authorization)
	assert.Equal(t, mockprovider.Redact(tr.AccessToken), records[9].Authorization)
	assert.True(t, strings.HasPrefix(records[3].Location, mockprovider.SeedRedirectURI+"?code="+url.QueryEscape(mockprovider.Redact(code))), records[4].Location)

	// DELETE empties the log.
	assert.Equal(t, http.StatusOK, control(t, srv, http.MethodDelete, "/_mock/requests", "").Status)
	assert.Empty(t, srv.Requests())
}

func TestControlClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   string
		real   bool
		status int
		moved  time.Duration
	}{
		{"advance", `{"advance":"10m"}`, false, http.StatusOK, 10 * time.Minute},
		{"advance zero", `{"advance":"0s"}`, false, http.StatusBadRequest, 0},
		{"overflowing duration", `{"advance":"10000000h"}`, false, http.StatusBadRequest, 0},
		{"advance compound", `{"advance":"1h30m5s"}`, false, http.StatusOK, time.Hour + 30*time.Minute + 5*time.Second},
		{"bad JSON", `{"advance":`, false, http.StatusBadRequest, 0},
		{"not JSON", `advance=10m`, false, http.StatusBadRequest, 0},
		{"unknown field", `{"advance":"10m","rewind":"1m"}`, false, http.StatusBadRequest, 0},
		{"wrong type", `{"advance":600}`, false, http.StatusBadRequest, 0},
		{"bad duration", `{"advance":"ten minutes"}`, false, http.StatusBadRequest, 0},
		{"negative", `{"advance":"-1m"}`, false, http.StatusBadRequest, 0},
		{"empty body", ``, false, http.StatusBadRequest, 0},
		{"real clock", `{"advance":"10m"}`, true, http.StatusConflict, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []mockprovider.Option
			if tt.real {
				opts = append(opts, mockprovider.WithRealClock())
			}
			srv := mockprovider.NewTestServer(t, opts...)
			before := srv.Now()
			res := control(t, srv, http.MethodPost, "/_mock/clock", tt.body)
			assert.Equal(t, tt.status, res.Status, res.Body)
			if tt.real {
				assert.Equal(t, "invalid_request", oauthError(t, res))
				return
			}
			assert.Equal(t, before.Add(tt.moved), srv.Now())
			if tt.status != http.StatusOK {
				assert.Equal(t, "invalid_request", oauthError(t, res))
				return
			}
			var clock struct {
				Now  time.Time `json:"now"`
				Real bool      `json:"real"`
			}
			require.NoError(t, json.Unmarshal([]byte(res.Body), &clock))
			assert.Equal(t, mockprovider.DefaultEpoch.Add(tt.moved), clock.Now)
			assert.False(t, clock.Real)
			res = control(t, srv, http.MethodGet, "/_mock/clock", "")
			assert.JSONEq(t, `{"now":"`+clock.Now.Format(time.RFC3339)+`","real":false}`, res.Body)
		})
	}
}

// TestControlClockBound moves the clock by the largest duration until it
// is refused: the clock stops before [mockprovider.MaxClock] and the
// provider keeps answering (no year past 9999 in JSON or Date headers).
func TestControlClockBound(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	refused := 0
	for range 28 {
		res := control(t, srv, http.MethodPost, "/_mock/clock", `{"advance":"9223372036s"}`)
		if res.Status == http.StatusOK {
			continue
		}
		refused++
		assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		assert.Equal(t, "invalid_request", oauthError(t, res))
		assert.Contains(t, res.Body, "past 9000-01-01T00:00:00Z")
	}
	assert.Positive(t, refused)
	assert.False(t, srv.Now().After(mockprovider.MaxClock))
	err := srv.Advance(time.Duration(1<<63 - 1))
	require.ErrorIs(t, err, mockprovider.ErrAdvance)
	require.ErrorIs(t, srv.Advance(-time.Second), mockprovider.ErrAdvance)
	assert.Equal(t, http.StatusOK, control(t, srv, http.MethodGet, "/_mock/clock", "").Status)
	res := bearerGet(t, srv.URL, "/.well-known/openid-configuration")
	assert.Equal(t, http.StatusOK, res.Status)
	_, err = http.ParseTime(res.Header.Get("Date"))
	assert.NoError(t, err)
}

// TestControlJSONBody: the /_mock bodies are one JSON object, and a
// refusal says what is wrong in JSON terms, never in Go types.
func TestControlJSONBody(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, path, body, message string }{
		{"trailing data", "/_mock/clock", `{"advance":"1h"}x`, "single JSON object"},
		{"two objects", "/_mock/clock", `{"advance":"1h"}{"advance":"1h"}`, "single JSON object"},
		{"number for a string", "/_mock/clock", `{"advance":600}`, "field advance must be a string, not a number"},
		{"array body", "/_mock/clock", `["1h"]`, "it must be a JSON object, not an array"},
		{"object for a list", "/_mock/quirks", `{"quirks":{}}`, "field quirks must be an array, not an object"},
		{"bool for a list", "/_mock/clients", `{"redirect_uris":true}`, "field redirect_uris must be an array, not a boolean"},
		{"unknown field", "/_mock/clock", `{"rewind":"1m"}`, `unknown field \"rewind\"`},
		{"cut short", "/_mock/clock", `{"advance":`, "ends in the middle"},
		{"syntax", "/_mock/clock", `{advance}`, "invalid JSON at byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			res := control(t, srv, http.MethodPost, tt.path, tt.body)
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
			assert.Equal(t, "invalid_request", oauthError(t, res))
			assert.Contains(t, res.Body, tt.message)
			assert.NotContains(t, res.Body, "Go value")
			assert.NotContains(t, res.Body, "struct")
			assert.Equal(t, mockprovider.DefaultEpoch, srv.Now(), "nothing applied")
		})
	}
}

// TestControlRotateGraceBound: a grace beyond MaxKeyGrace is refused, in
// the API and in Go, and rotates nothing.
func TestControlRotateGraceBound(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	before := control(t, srv, http.MethodGet, mockprovider.PathJWKS, "").Body
	for _, grace := range []string{"2562047h", "721h"} {
		res := control(t, srv, http.MethodPost, "/_mock/keys/rotate", `{"grace":"`+grace+`"}`)
		assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		assert.Equal(t, "invalid_request", oauthError(t, res))
		assert.Contains(t, res.Body, "longer than the 720h0m0s")
	}
	assert.Equal(t, before, control(t, srv, http.MethodGet, mockprovider.PathJWKS, "").Body, "nothing rotated")
	_, err := srv.RotateKeys(mockprovider.MaxKeyGrace + time.Second)
	assert.ErrorIs(t, err, mockprovider.ErrKeyGrace)
	res := control(t, srv, http.MethodPost, "/_mock/keys/rotate", `{"grace":"720h"}`)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
}

func TestControlReset(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	code := approve(t, srv, "alice", seedParams()).Get("code")
	tr := tokens(t, exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI))
	require.NoError(t, srv.Advance(time.Minute))
	require.NoError(t, srv.SetQuirks(mockprovider.QuirkCodeReusable))

	res := control(t, srv, http.MethodPost, "/_mock/reset", "")
	require.Equal(t, http.StatusOK, res.Status)
	assert.JSONEq(t, `{"reset":true,"now":"2026-01-01T00:00:00Z"}`, res.Body)

	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, me.Status, "tokens are forgotten")
	assert.Contains(t, me.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
	assert.Equal(t, http.StatusFound, b.get("/oauth/authorize?"+seedParams().Encode()).Status, "sessions are forgotten")
	assertTokenError(t, exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI), http.StatusBadRequest, "invalid_grant")
	assert.Equal(t, mockprovider.DefaultEpoch, srv.Now())
	assert.Empty(t, srv.ActiveQuirks())
	assert.Len(t, srv.Requests(), 3, "the log restarts at the reset")
}

func TestControlQuirks(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t, mockprovider.WithQuirks(mockprovider.QuirkStateDropped))
	var body struct {
		Active []mockprovider.Quirk     `json:"active"`
		Known  []mockprovider.QuirkInfo `json:"known"`
	}
	res := control(t, srv, http.MethodGet, "/_mock/quirks", "")
	require.Equal(t, http.StatusOK, res.Status)
	require.NoError(t, json.Unmarshal([]byte(res.Body), &body))
	assert.Equal(t, []mockprovider.Quirk{mockprovider.QuirkStateDropped}, body.Active)
	assert.Equal(t, mockprovider.Quirks(), body.Known)

	res = control(t, srv, http.MethodPost, "/_mock/quirks", `{"quirks":["code-reusable","redirect-prefix-match"]}`)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, []mockprovider.Quirk{mockprovider.QuirkRedirectPrefixMatch, mockprovider.QuirkCodeReusable}, srv.ActiveQuirks(), "catalog order")

	for _, bad := range []string{`{"quirks":["no-such-quirk"]}`, `{"quirks":["code-reusable","nope"]}`} {
		res = control(t, srv, http.MethodPost, "/_mock/quirks", bad)
		assert.Equal(t, http.StatusBadRequest, res.Status)
		assert.Equal(t, "invalid_request", oauthError(t, res))
		for _, q := range mockprovider.Quirks() {
			assert.Contains(t, res.Body, string(q.Name), "the error lists the known quirks")
		}
	}
	assert.Equal(t, []mockprovider.Quirk{mockprovider.QuirkRedirectPrefixMatch, mockprovider.QuirkCodeReusable}, srv.ActiveQuirks(), "a refused change changes nothing")
	res = control(t, srv, http.MethodPost, "/_mock/quirks", `{"quirks":[]}`)
	require.Equal(t, http.StatusOK, res.Status)
	assert.JSONEq(t, `[]`, mustJSON(t, res.Body, "active"))

	_, err := mockprovider.ParseQuirks("code-reusable, nope")
	assert.ErrorContains(t, err, "redirect-prefix-match")
	qs, err := mockprovider.ParseQuirks(" code-reusable,,code-reusable,state-dropped ")
	require.NoError(t, err)
	assert.Equal(t, []mockprovider.Quirk{mockprovider.QuirkCodeReusable, mockprovider.QuirkStateDropped}, qs)
	_, err = mockprovider.New(mockprovider.WithQuirks("nope"))
	assert.ErrorContains(t, err, "known quirks")
}

func mustJSON(t *testing.T, body, key string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	return string(m[key])
}

func TestControlClients(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	res := control(t, srv, http.MethodPost, "/_mock/clients", `{"client_id":"ctl","client_secret":"ctl-secret","redirect_uris":["http://localhost:9300/cb"]}`)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.Contains(t, res.Body, `"client_secret":"ctl-secret"`)
	tokens(t, postForm(t, srv.URL, "/oauth/token", tokenClient{id: "ctl", secret: "ctl-secret", basic: true}, url.Values{"grant_type": {"client_credentials"}}))

	res = control(t, srv, http.MethodPost, "/_mock/clients", `{"client_id":"ctl","client_secret":"x","redirect_uris":["http://localhost:9300/cb"]}`)
	assert.Equal(t, http.StatusBadRequest, res.Status, "duplicate client_id")
	res = control(t, srv, http.MethodPost, "/_mock/clients", `{"client_id":"bad","client_secret":"x","redirect_uris":["/cb"]}`)
	assert.Equal(t, http.StatusBadRequest, res.Status, "relative redirect URI")

	res = control(t, srv, http.MethodGet, "/_mock/clients", "")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Body, `"client_id":"ctl"`)
	assert.NotContains(t, res.Body, "ctl-secret", "secrets are not listed")
	assert.NotContains(t, res.Body, mockprovider.SeedClientSecret)
}

// TestControlClientsRefused: a refused POST /_mock/clients keeps the
// given default_scopes (so an unknown one is refused), names no drawn id
// and uses up no seeded value: the next valid registration gets the id a
// fresh provider would give.
func TestControlClientsRefused(t *testing.T) {
	t.Parallel()
	const valid = `{"redirect_uris":["http://localhost:9300/cb"]}`
	fresh := mockprovider.NewTestServer(t)
	res := control(t, fresh, http.MethodPost, "/_mock/clients", valid)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var want struct {
		ID string `json:"client_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &want))

	tests := []struct{ name, body, message string }{
		{"unknown default scope", `{"redirect_uris":["http://localhost:9300/cb"],"default_scopes":["admin"]}`, "default_scopes must be among its scopes"},
		{"duplicate redirect_uris", `{"redirect_uris":["http://localhost:9300/cb","http://localhost:9300/cb"]}`, "twice"},
		{"relative redirect_uri", `{"redirect_uris":["/cb"]}`, "redirect_uris[0]"},
		{"public with a secret", `{"public":true,"client_secret":"x","redirect_uris":["http://localhost:9300/cb"]}`, "is public"},
	}
	srv := mockprovider.NewTestServer(t)
	for _, tt := range tests {
		res := control(t, srv, http.MethodPost, "/_mock/clients", tt.body)
		assert.Equal(t, http.StatusBadRequest, res.Status, tt.name)
		assert.Equal(t, "invalid_request", oauthError(t, res), tt.name)
		assert.Contains(t, res.Body, tt.message, tt.name)
		assert.NotContains(t, res.Body, want.ID, "%s: a refused registration names no drawn id", tt.name)
	}
	res = control(t, srv, http.MethodPost, "/_mock/clients", valid)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.Contains(t, res.Body, `"client_id":"`+want.ID+`"`, "refusals drew no seeded value")

	res = control(t, srv, http.MethodPost, "/_mock/clients", `{"redirect_uris":["http://localhost:9300/cb"],"default_scopes":["profile"]}`)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.Contains(t, res.Body, `"default_scopes":["profile"]`, "given default_scopes are kept")
}

func TestControlAccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		remoteAddr string
		remote     bool
		method     string
		path       string
		status     int
	}{
		{"loopback IPv4", "127.0.0.1:5000", false, http.MethodGet, "/_mock/requests", http.StatusOK},
		{"loopback IPv6", "[::1]:5000", false, http.MethodGet, "/_mock/requests", http.StatusOK},
		{"other loopback address", "127.0.0.2:5000", false, http.MethodGet, "/_mock/clock", http.StatusOK},
		{"non-loopback", "192.0.2.1:5000", false, http.MethodGet, "/_mock/requests", http.StatusForbidden},
		{"non-loopback reset", "192.0.2.1:5000", false, http.MethodPost, "/_mock/reset", http.StatusForbidden},
		{"non-loopback IPv6", "[2001:db8::1]:5000", false, http.MethodPost, "/_mock/clock", http.StatusForbidden},
		{"IPv4-mapped non-loopback", "[::ffff:192.0.2.1]:5000", false, http.MethodGet, "/_mock/quirks", http.StatusForbidden},
		{"garbage address", "not-an-address", false, http.MethodGet, "/_mock/requests", http.StatusForbidden},
		{"remote control allowed", "192.0.2.1:5000", true, http.MethodGet, "/_mock/requests", http.StatusOK},
		{"unknown control endpoint", "127.0.0.1:5000", false, http.MethodGet, "/_mock/nothing", http.StatusNotFound},
		{"wrong method", "127.0.0.1:5000", false, http.MethodPut, "/_mock/reset", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []mockprovider.Option
			if tt.remote {
				opts = append(opts, mockprovider.WithRemoteControl())
			}
			p, err := mockprovider.New(opts...)
			require.NoError(t, err)
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.RemoteAddr, req.Host = tt.remoteAddr, "localhost:9000"
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			p.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			if tt.status == http.StatusForbidden {
				assert.Equal(t, "access_denied", oauthError(t, response{Body: rec.Body.String()}))
			}
		})
	}
}
