package mockprovider_test

import (
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The HTML side of the provider: a cookie-keeping user agent for the
// tests of the login, consent and registration pages themselves. Tests
// that only need a code use approve (Provider.Authorize) instead.

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
