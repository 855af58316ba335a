package mockprovider_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// serve runs one request through p in-process from a loopback address.
func serve(p *mockprovider.Provider, req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, req)
	return rec
}

// signInCookie signs alice in on p and returns her session cookie.
func signInCookie(t testing.TB, p *mockprovider.Provider) *http.Cookie {
	t.Helper()
	page := serve(p, httptest.NewRequest(http.MethodGet, "/oauth", nil))
	require.Equal(t, http.StatusOK, page.Code)
	var csrf *http.Cookie
	for _, c := range page.Result().Cookies() {
		csrf = c
	}
	form := url.Values{"username": {"alice"}, "password": {"wonderland"}, "csrf": {hidden(t, page.Body.String(), "csrf")}}
	req := httptest.NewRequest(http.MethodPost, "/oauth", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", formType)
	req.AddCookie(csrf)
	res := serve(p, req)
	require.Equal(t, http.StatusSeeOther, res.Code)
	for _, c := range res.Result().Cookies() {
		if c.Name == "mockprovider_session" {
			return c
		}
	}
	require.FailNow(t, "no session cookie")
	return nil
}

// FuzzAuthorizeQuery feeds arbitrary query strings to the authorization
// endpoint, signed in or not: it must never fail with a 5xx, and a
// redirect may only lead to a registered redirect URI or to the login
// page, whose link must then work.
func FuzzAuthorizeQuery(f *testing.F) {
	twoURIs := mockprovider.Client{ID: "two", Secret: "s", Scopes: []string{"email", "profile"},
		RedirectURIs: []string{"http://localhost:9001/a?x=1", "https://app.example/b"}}
	p, err := mockprovider.New(mockprovider.WithClient(twoURIs))
	require.NoError(f, err)
	session := signInCookie(f, p)
	var registered []string
	for _, c := range p.Clients() {
		registered = append(registered, c.RedirectURIs...)
	}

	for _, q := range []string{
		seedParams().Encode(),
		seedParams("redirect_uri", "").Encode(),
		seedParams("redirect_uri", "https://localhost:8000/authorized").Encode(),
		seedParams("response_type", "token").Encode(),
		seedParams("scope", "email admin").Encode(),
		seedParams("code_challenge", challenge, "code_challenge_method", "S256").Encode(),
		seedParams("client_id", "two", "redirect_uri", "http://localhost:9001/a?x=1").Encode(),
		seedParams("client_id", "two", "redirect_uri", "").Encode(),
		"client_id=" + mockprovider.SeedClientID + "&state=a%5Cb&response_type=code",
		seedParams().Encode() + `&x=/\evil.example&y=a b`,
		"client_id=" + mockprovider.SeedClientID + "&state=%ff",
		"client_id=%zz",
		"",
		"&&&=&=",
		"state=" + strings.Repeat("s", 4000) + "&" + seedParams("state", "").Encode(),
	} {
		f.Add(q, false)
		f.Add(q, true)
	}
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, rawQuery string, signedIn bool) {
		if n.Add(1)%1000 == 0 {
			// Keep the request log from growing without bound.
			serve(p, httptest.NewRequest(http.MethodDelete, "/_mock/requests", nil))
		}
		req := httptest.NewRequest(http.MethodGet, "/oauth/authorize", nil)
		req.URL.RawQuery = rawQuery
		if signedIn {
			req.AddCookie(session)
		}
		res := serve(p, req)
		if res.Code >= 500 {
			t.Fatalf("status %d for %q: %s", res.Code, rawQuery, res.Body)
		}
		loc, hasLoc := res.Result().Header["Location"]
		if res.Code != http.StatusFound {
			if hasLoc {
				t.Fatalf("status %d with Location %q", res.Code, loc)
			}
			return
		}
		location := res.Header().Get("Location")
		if strings.HasPrefix(location, "/oauth?next=") {
			if signedIn {
				t.Fatalf("a signed-in user sent to the login page for %q", rawQuery)
			}
			login := serve(p, httptest.NewRequest(http.MethodGet, location, nil))
			if login.Code != http.StatusOK {
				t.Fatalf("the login link %q for %q answers %d", location, rawQuery, login.Code)
			}
			return
		}
		for _, r := range registered {
			sep := "?"
			if strings.Contains(r, "?") {
				sep = "&"
			}
			if strings.HasPrefix(location, r+sep) {
				return
			}
		}
		t.Fatalf("redirect to %q, neither a registered redirect URI nor the login page, for %q", location, rawQuery)
	})
}

// FuzzControlBody posts arbitrary bodies to the JSON control endpoints:
// never a 5xx, always a JSON answer, a refusal is invalid_request worded
// without Go types, and the clock never passes MaxClock.
func FuzzControlBody(f *testing.F) {
	p, err := mockprovider.New()
	require.NoError(f, err)
	paths := []string{"/_mock/clock", "/_mock/quirks", "/_mock/clients", "/_mock/keys/rotate"}
	for _, body := range []string{
		`{"advance":"10m"}`, `{"advance":"9223372036s"}`, `{"advance":"1h"}x`, `{"advance":600}`, `["1h"]`,
		`{"quirks":["code-reusable"]}`, `{"quirks":{}}`, `{"redirect_uris":["http://localhost:1/cb"],"default_scopes":["x"]}`,
		`{"grace":"2562047h"}`, `{"grace":"1h"}{"grace":"1h"}`, ``, `{`, `null`, `{"redirect_uris":true}`,
	} {
		for i := range paths {
			f.Add(uint8(i), body)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		path := paths[int(which)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Host = "localhost:9000"
		req.Header.Set("Content-Type", "application/json")
		res := serve(p, req)
		if res.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", path, body, res.Code, res.Body)
		}
		var answer map[string]any
		if err := json.Unmarshal(res.Body.Bytes(), &answer); err != nil {
			t.Fatalf("%s %q: not JSON: %s", path, body, res.Body)
		}
		if res.Code >= 400 {
			desc, _ := answer["error_description"].(string)
			if answer["error"] != "invalid_request" || strings.Contains(desc, "Go value") || strings.Contains(desc, "struct {") {
				t.Fatalf("%s %q: %d %s", path, body, res.Code, res.Body)
			}
		}
		if p.Now().After(mockprovider.MaxClock) {
			t.Fatalf("%s %q moved the clock to %v", path, body, p.Now())
		}
	})
}
