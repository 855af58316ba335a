package mockprovider_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// The second default client, for the cross-client checks.
var secondClient = mockprovider.DefaultClients()[1]

// A PKCE verifier (RFC 7636 §4.1) and its S256 challenge.
var (
	verifier  = "the-quick-brown-fox-jumps-over-the-lazy-dog-0123456789"
	challenge = oauth2.S256ChallengeFromVerifier(verifier)
)

// response is an HTTP response read in full.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) location() string { return r.Header.Get("Location") }

// readResponse reads and closes res.
func readResponse(t testing.TB, res *http.Response) response {
	t.Helper()
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// browser is a user agent with a cookie jar that does not follow
// redirects, so that each step of a flow can be checked.
type browser struct {
	t    testing.TB
	base string
	hc   *http.Client
}

func newBrowser(t testing.TB, base string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	// Its own transport: httptest's Close closes the idle connections of
	// http.DefaultTransport, which would break parallel tests' requests.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &browser{t: t, base: base, hc: &http.Client{
		Transport:     tr,
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) abs(target string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		return target
	}
	return b.base + target
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.hc.Do(req)
	require.NoError(b.t, err)
	return readResponse(b.t, res)
}

func (b *browser) get(target string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(target), nil)
	require.NoError(b.t, err)
	return b.do(req)
}

func (b *browser) post(target string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(target), strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs in through the login page and returns the answer to the
// sign-in POST.
func (b *browser) signIn(username, password, next string) response {
	b.t.Helper()
	page := b.get("/oauth?next=" + url.QueryEscape(next))
	require.Equal(b.t, http.StatusOK, page.Status, page.Body)
	return b.post("/oauth", url.Values{
		"username": {username},
		"password": {password},
		"next":     {hidden(b.t, page.Body, "next")},
		"csrf":     {hidden(b.t, page.Body, "csrf")},
	})
}

// mustSignIn signs in as alice.
func (b *browser) mustSignIn() {
	b.t.Helper()
	res := b.signIn("alice", "wonderland", "/")
	require.Equal(b.t, http.StatusSeeOther, res.Status, res.Body)
}

// consent answers the consent page with confirm=answer.
func (b *browser) consent(page response, answer string) response {
	b.t.Helper()
	require.Equal(b.t, http.StatusOK, page.Status, page.Body)
	return b.post("/oauth/authorize", url.Values{
		"consent_id": {hidden(b.t, page.Body, "consent_id")},
		"confirm":    {answer},
	})
}

// authorize sends an authorization request and approves it; it returns
// the parameters of the redirect to the client. The browser must be
// signed in.
func (b *browser) authorize(params url.Values) url.Values {
	b.t.Helper()
	page := b.get("/oauth/authorize?" + params.Encode())
	res := b.consent(page, "yes")
	require.Equal(b.t, http.StatusFound, res.Status, res.Body)
	return callbackParams(b.t, res.location(), redirectOf(params))
}

// redirectOf is the redirect URI the client will be sent to.
func redirectOf(params url.Values) string {
	if r := params.Get("redirect_uri"); r != "" {
		return r
	}
	return mockprovider.SeedRedirectURI
}

// callbackParams checks that location is the redirect URI plus a query,
// and returns that query.
func callbackParams(t testing.TB, location, redirectURI string) url.Values {
	t.Helper()
	sep := "?"
	if strings.Contains(redirectURI, "?") {
		sep = "&"
	}
	require.True(t, strings.HasPrefix(location, redirectURI+sep), "Location %q is not under %q", location, redirectURI)
	q, err := url.ParseQuery(strings.TrimPrefix(location, redirectURI+sep))
	require.NoError(t, err)
	return q
}

// seedParams is an authorization request of the seed client.
func seedParams(extra ...string) url.Values {
	v := url.Values{
		"response_type": {"code"},
		"client_id":     {mockprovider.SeedClientID},
		"redirect_uri":  {mockprovider.SeedRedirectURI},
		"scope":         {"email"},
		"state":         {"xyz"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
			continue
		}
		v.Set(extra[i], extra[i+1])
	}
	return v
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hidden returns the value of the hidden form field name.
func hidden(t testing.TB, body, name string) string {
	t.Helper()
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	require.Failf(t, "no hidden field", "no hidden field %q in page:\n%s", name, body)
	return ""
}

// elementText returns the text of the element with the given id.
func elementText(t testing.TB, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	require.NotNil(t, m, "no element #%s in page:\n%s", id, body)
	return html.UnescapeString(m[1])
}

// tokenClient authenticates at the token endpoint.
type tokenClient struct {
	id, secret string
	// basic selects client_secret_basic; otherwise client_secret_post.
	basic bool
}

var (
	seedPost  = tokenClient{id: mockprovider.SeedClientID, secret: mockprovider.SeedClientSecret}
	seedBasic = tokenClient{id: mockprovider.SeedClientID, secret: mockprovider.SeedClientSecret, basic: true}
)

// postForm POSTs a form to base+path with the client's credentials.
func postForm(t testing.TB, base, path string, c tokenClient, form url.Values) response {
	t.Helper()
	form = cloneValues(form)
	if !c.basic && c.id != "" {
		form.Set("client_id", c.id)
		if c.secret != "" {
			form.Set("client_secret", c.secret)
		}
	}
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.basic {
		req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(c.secret))
	}
	res, err := testHTTP.Do(req)
	require.NoError(t, err)
	return readResponse(t, res)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// exchange redeems a code at the token endpoint.
func exchange(t testing.TB, base string, c tokenClient, code, redirectURI string, extra ...string) response {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if redirectURI != "" {
		form.Set("redirect_uri", redirectURI)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return postForm(t, base, "/oauth/token", c, form)
}

// tokens decodes a successful token response.
func tokens(t testing.TB, res response) mockprovider.TokenResponse {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var tr mockprovider.TokenResponse
	require.NoError(t, json.Unmarshal([]byte(res.Body), &tr))
	require.NotEmpty(t, tr.AccessToken)
	return tr
}

// oauthError decodes an RFC 6749 §5.2 error body.
func oauthError(t testing.TB, res response) string {
	t.Helper()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &e), "body: %s", res.Body)
	return e.Error
}

// assertTokenError checks an RFC 6749 §5.2 error response.
func assertTokenError(t testing.TB, res response, status int, code string) {
	t.Helper()
	assert.Less(t, res.Status, 500, "never a 5xx: %s", res.Body)
	assert.Equal(t, status, res.Status, res.Body)
	assert.Equal(t, code, oauthError(t, res))
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, "no-cache", res.Header.Get("Pragma"))
	assert.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "application/json"), res.Header.Get("Content-Type"))
}

// userTokens runs a whole flow as alice for the seed client and returns
// the tokens.
func userTokens(t testing.TB, base string, params url.Values) mockprovider.TokenResponse {
	t.Helper()
	b := newBrowser(t, base)
	b.mustSignIn()
	cb := b.authorize(params)
	return tokens(t, exchange(t, base, seedPost, cb.Get("code"), params.Get("redirect_uri")))
}

// bearerGet GETs base+path with the given Authorization header values.
func bearerGet(t testing.TB, base, path string, authorization ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	require.NoError(t, err)
	for _, a := range authorization {
		req.Header.Add("Authorization", a)
	}
	res, err := testHTTP.Do(req)
	require.NoError(t, err)
	return readResponse(t, res)
}

// newServer starts a provider for one test.
func newServer(t testing.TB, opts ...mockprovider.Option) *mockprovider.Server {
	t.Helper()
	srv := mockprovider.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// testHTTP is the tests' client. It has its own transport: httptest's
// Close closes the idle connections of http.DefaultTransport, which
// would break the requests of tests running in parallel.
var testHTTP = &http.Client{Transport: &http.Transport{}}
