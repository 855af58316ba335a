package mockprovider_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// recorded is one request and its answer, as compared between providers.
type recorded struct {
	Request string
	Status  int
	Header  http.Header
	Body    string
}

// script drives a provider in-process with a fixed RemoteAddr and Host,
// keeping cookies like a browser.
type script struct {
	t       *testing.T
	p       *mockprovider.Provider
	cookies map[string]string
	log     []recorded
}

func newScript(t *testing.T, p *mockprovider.Provider) *script {
	return &script{t: t, p: p, cookies: map[string]string{}}
}

func (s *script) do(method, target, contentType, body string, header ...string) recorded {
	s.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	req.Host = "mock.test:9000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.cookies {
			if !yield(k) {
				return
			}
		}
	}) {
		req.AddCookie(&http.Cookie{Name: name, Value: s.cookies[name]})
	}
	rec := httptest.NewRecorder()
	s.p.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(s.cookies, c.Name)
		} else {
			s.cookies[c.Name] = c.Value
		}
	}
	r := recorded{Request: method + " " + target, Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.String()}
	s.log = append(s.log, r)
	return r
}

const formType = "application/x-www-form-urlencoded"

// run plays the scripted sequence: login, consent, token, me, refresh,
// register, the control API, a reset and the start again.
func (s *script) run() []recorded {
	t := s.t
	t.Helper()
	authorize := "/oauth/authorize?" + seedParams("code_challenge", challenge, "code_challenge_method", "S256").Encode()
	res := s.do(http.MethodGet, authorize, "", "")
	require.Equal(t, http.StatusFound, res.Status)
	login := s.do(http.MethodGet, res.Header.Get("Location"), "", "")
	require.Equal(t, http.StatusOK, login.Status)
	res = s.do(http.MethodPost, "/oauth", formType, url.Values{
		"username": {"alice"}, "password": {"wonderland"},
		"next": {hidden(t, login.Body, "next")}, "csrf": {hidden(t, login.Body, "csrf")},
	}.Encode())
	require.Equal(t, http.StatusSeeOther, res.Status)
	consent := s.do(http.MethodGet, res.Header.Get("Location"), "", "")
	require.Equal(t, http.StatusOK, consent.Status)
	res = s.do(http.MethodPost, "/oauth/authorize", formType, url.Values{"consent_id": {hidden(t, consent.Body, "consent_id")}, "confirm": {"yes"}}.Encode())
	require.Equal(t, http.StatusFound, res.Status)
	code := callbackParams(t, res.Header.Get("Location"), mockprovider.SeedRedirectURI).Get("code")
	res = s.do(http.MethodPost, "/oauth/token", formType, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {mockprovider.SeedRedirectURI}, "code_verifier": {verifier},
	}.Encode(), "Authorization", basicHeader(mockprovider.SeedClientID, mockprovider.SeedClientSecret))
	tr := tokens(t, response{Status: res.Status, Body: res.Body})
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/oauth/api/me", "", "", "Authorization", "Bearer "+tr.AccessToken).Status)
	s.do(http.MethodPost, "/oauth/token", formType, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken},
		"client_id": {mockprovider.SeedClientID}, "client_secret": {mockprovider.SeedClientSecret},
	}.Encode())
	form := s.do(http.MethodGet, "/oauth/register", "", "")
	require.Equal(t, http.StatusOK, form.Status)
	reg := s.do(http.MethodPost, "/oauth/register", formType, url.Values{
		"csrf": {hidden(t, form.Body, "csrf")}, "name": {"Scripted"}, "homepage_url": {"http://localhost:9200"},
		"redirect_uris": {"http://localhost:9200/cb"},
	}.Encode())
	require.Equal(t, http.StatusCreated, reg.Status)
	s.do(http.MethodPost, "/oauth/token", formType, "grant_type=client_credentials",
		"Authorization", basicHeader(elementText(t, reg.Body, "client_id"), elementText(t, reg.Body, "client_secret")))
	// Several bad parameters: the error names the same one every time.
	s.do(http.MethodPost, "/oauth/token", formType, "scope=a&scope=b&grant_type=x&grant_type=y&code=%ff&zz=1&zz=2",
		"Authorization", basicHeader(mockprovider.SeedClientID, mockprovider.SeedClientSecret))
	s.do(http.MethodPost, "/oauth/revoke", formType, "token=a&token=b&client_id=x&client_id=y")
	s.do(http.MethodGet, "/.well-known/oauth-authorization-server", "", "")
	s.do(http.MethodPost, "/_mock/clock", "application/json", `{"advance":"10m"}`)
	s.do(http.MethodGet, "/oauth/api/me", "", "", "Authorization", "Bearer "+tr.AccessToken)
	s.do(http.MethodGet, "/_mock/requests", "", "")
	s.do(http.MethodPost, "/_mock/reset", "", "")
	s.do(http.MethodGet, authorize, "", "")
	return s.log
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	newProvider := func(opts ...mockprovider.Option) *mockprovider.Provider {
		p, err := mockprovider.New(opts...)
		require.NoError(t, err)
		return p
	}
	a := newScript(t, newProvider()).run()
	b := newScript(t, newProvider(mockprovider.WithSeed(mockprovider.DefaultSeed))).run()
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i], b[i], "response %d (%s) differs", i, a[i].Request)
	}

	// The virtual clock: every response is dated at the epoch until the
	// clock is advanced; the reset rewinds it.
	epoch := mockprovider.DefaultEpoch.Format(http.TimeFormat)
	later := mockprovider.DefaultEpoch.Add(10 * time.Minute).Format(http.TimeFormat)
	var dates []string
	for _, r := range a {
		dates = append(dates, r.Header.Get("Date"))
	}
	n := len(a)
	for i, d := range dates[:n-5] {
		assert.Equal(t, epoch, d, "response %d", i)
	}
	// The clock request itself is dated before it moves the clock.
	assert.Equal(t, []string{epoch, later, later, later, epoch}, dates[n-5:])
	assert.Equal(t, a[0], a[n-1], "after a reset the provider answers as new")

	// Another seed gives other values.
	c := newScript(t, newProvider(mockprovider.WithSeed(2))).run()
	var ta, tc mockprovider.TokenResponse
	require.NoError(t, json.Unmarshal([]byte(a[5].Body), &ta))
	require.NoError(t, json.Unmarshal([]byte(c[5].Body), &tc))
	assert.NotEqual(t, ta.AccessToken, tc.AccessToken)
	assert.NotEqual(t, ta.RefreshToken, tc.RefreshToken)
	assert.NotEqual(t, a[1].Body, c[1].Body, "the login csrf comes from the seed too")
	assert.Equal(t, a[0], c[0], "the first answer holds no generated value")
}

// TestRepeatedErrorsAreStable sends a request with several bad
// parameters many times: the error must name the same one each time.
func TestRepeatedErrorsAreStable(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	for _, path := range []string{"/oauth/token", "/oauth/introspect"} {
		var bodies []string
		for range 30 {
			res := postForm(t, srv.URL, path, seedBasic, url.Values{
				"a": {"1", "2"}, "b": {"1", "2"}, "c": {"1", "2"}, "grant_type": {"x", "y"}, "token": {"\xff"},
			})
			bodies = append(bodies, res.Body)
		}
		slices.Sort(bodies)
		assert.Len(t, slices.Compact(bodies), 1, path)
	}
}

func TestVirtualClock(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	date := func() string { return bearerGet(t, srv.URL, "/").Header.Get("Date") }
	assert.Equal(t, mockprovider.DefaultEpoch, srv.Now())
	assert.Equal(t, mockprovider.DefaultEpoch.Format(http.TimeFormat), date())
	require.NoError(t, srv.Advance(90*time.Minute))
	assert.Equal(t, mockprovider.DefaultEpoch.Add(90*time.Minute).Format(http.TimeFormat), date())
	assert.ErrorContains(t, srv.Advance(-time.Second), "only moves forward")

	epoch := time.Date(2030, 5, 6, 7, 8, 9, 0, time.FixedZone("X", 3600))
	other := mockprovider.NewTestServer(t, mockprovider.WithEpoch(epoch))
	assert.Equal(t, epoch.UTC(), other.Now())

	wall := mockprovider.NewTestServer(t, mockprovider.WithRealClock())
	assert.WithinDuration(t, time.Now(), wall.Now(), 2*time.Second)
	assert.ErrorContains(t, wall.Advance(time.Minute), "real clock")
}
