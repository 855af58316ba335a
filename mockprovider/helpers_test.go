package mockprovider_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

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

// approve sends an authorization request, approved by username without
// the HTML pages ([mockprovider.Provider.Authorize]); it returns the
// parameters of the redirect to the client.
func approve(t testing.TB, srv *mockprovider.Server, username string, params url.Values) url.Values {
	t.Helper()
	back, err := srv.Authorize(username, srv.URL+mockprovider.PathAuthorize+"?"+params.Encode())
	require.NoError(t, err)
	return callbackParams(t, back.String(), redirectOf(params))
}

// userTokens runs a whole flow as alice for the seed client and returns
// the tokens.
func userTokens(t testing.TB, srv *mockprovider.Server, params url.Values) mockprovider.TokenResponse {
	t.Helper()
	cb := approve(t, srv, "alice", params)
	return tokens(t, exchange(t, srv.URL, seedPost, cb.Get("code"), params.Get("redirect_uri")))
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

// testHTTP is the tests' client. It has its own transport: httptest's
// Close closes the idle connections of http.DefaultTransport, which
// would break the requests of tests running in parallel.
var testHTTP = &http.Client{Transport: &http.Transport{}}
