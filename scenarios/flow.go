package scenarios

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// AuthRequest is an authorization request the browser makes (RFC 6749
// §4.1.1). Zero fields take the primary client's values.
type AuthRequest struct {
	Client           *providerspec.Client
	RedirectURI      string
	OmitRedirect     bool
	Scope            string
	OmitScope        bool
	State            string
	OmitState        bool
	ResponseType     string
	OmitResponseType bool
	Challenge        string
	ChallengeMethod  string
	// Extra parameters are appended as they are (repeats included).
	Extra url.Values
	// Deny answers the consent page with the deny button.
	Deny bool
}

// AuthResult is what happened in the browser.
type AuthResult struct {
	// URL is the authorization URL the browser opened.
	URL   string
	State string
	// Callback is the first request that reached a client's redirect
	// URI (or any URI the suite watches); nil when none did.
	Callback *url.URL
	// Hits are all requests that reached a watched URI.
	Hits []*url.URL
	// FinalURL and FinalText describe the last page the user saw.
	FinalURL  string
	FinalText string
	// LoginShown and ConsentShown say which provider pages appeared.
	LoginShown, ConsentShown bool
}

// Param is a parameter of the callback's query ("" without a callback).
func (r *AuthResult) Param(name string) string {
	if r.Callback == nil {
		return ""
	}
	return r.Callback.Query().Get(name)
}

// Has reports whether the callback's query has the parameter.
func (r *AuthResult) Has(name string) bool {
	return r.Callback != nil && r.Callback.Query().Has(name)
}

// RandomState returns a fresh unguessable state value.
func RandomState() string { return randomString(24) }

// NewVerifier returns a PKCE code_verifier (RFC 7636 §4.1).
func NewVerifier() string { return randomString(48) }

// S256 is the S256 code_challenge of a verifier (RFC 7636 §4.2).
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// client returns the request's client.
func (r *AuthRequest) client(t *T) *providerspec.Client {
	if r.Client != nil {
		return r.Client
	}
	return t.Spec.Primary()
}

// redirectURI is the presented redirect_uri ("" when omitted).
func (r *AuthRequest) redirectURI(t *T) string {
	if r.OmitRedirect {
		return ""
	}
	if r.RedirectURI != "" {
		return r.RedirectURI
	}
	return r.client(t).RedirectURI
}

// build returns the authorization URL and the state sent.
func (r *AuthRequest) build(t *T) (string, string) {
	q := url.Values{}
	if !r.OmitResponseType {
		rt := r.ResponseType
		if rt == "" {
			rt = "code"
		}
		q.Set("response_type", rt)
	}
	q.Set("client_id", r.client(t).ID)
	if ru := r.redirectURI(t); ru != "" {
		q.Set("redirect_uri", ru)
	}
	if !r.OmitScope {
		scope := r.Scope
		if scope == "" {
			scope = strings.Join(t.Spec.Scopes.Granted, " ")
		}
		if scope != "" {
			q.Set("scope", scope)
		}
	}
	state := ""
	if !r.OmitState {
		state = r.State
		if state == "" {
			state = RandomState()
		}
		q.Set("state", state)
	}
	if r.Challenge != "" {
		q.Set("code_challenge", r.Challenge)
		if r.ChallengeMethod != "" {
			q.Set("code_challenge_method", r.ChallengeMethod)
		}
	}
	raw := q.Encode()
	if len(r.Extra) > 0 {
		raw += "&" + r.Extra.Encode()
	}
	sep := "?"
	if strings.Contains(t.Spec.AuthorizeURL, "?") {
		sep = "&"
	}
	return t.Spec.AuthorizeURL + sep + raw, state
}

// sessionState is a scenario's browser session with the origins it
// intercepts.
type sessionState struct {
	s       *browser.Session
	mu      sync.Mutex
	origins map[string]bool
	hits    []*url.URL
}

// Browser returns the scenario's browser session, opening it (an
// incognito context) on first use.
func (t *T) Browser() *browser.Session {
	return t.browserState().s
}

func (t *T) browserState() *sessionState {
	if t.session != nil {
		return t.session
	}
	if t.browser == nil {
		t.Skipf("this scenario needs a browser and the run has none")
	}
	s, err := t.browser.NewSession(t.ctx)
	if err != nil {
		t.Fatalf("could not open a browser session: %v", err)
	}
	s = s.WithTimeout(t.Timeout())
	t.session = &sessionState{s: s, origins: map[string]bool{}}
	t.Cleanup(func() { s.Close() })
	return t.session
}

// originOf is scheme://host[:port] of a URI, or "".
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// watch makes the browser answer every request to origin in-process and
// record it: nothing needs to listen at a client's redirect URI.
func (t *T) watch(origin string) {
	st := t.browserState()
	if origin == "" || st.origins[origin] {
		return
	}
	for _, o := range t.Spec.Origins() {
		if o == origin {
			return
		}
	}
	st.origins[origin] = true
	_, err := st.s.Intercept(origin+"/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" || r.Header.Get("Sec-Fetch-Dest") == "image" {
			http.NotFound(w, r) // the browser's own request for an icon, not a redirect
			return
		}
		u, _ := url.Parse(origin + r.URL.RequestURI())
		st.mu.Lock()
		st.hits = append(st.hits, u)
		st.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>Callback reached</title><h1>Callback reached</h1><p>The provider sent the browser to:</p><pre>%s</pre>",
			html.EscapeString(t.redact(u.String())))
	}))
	if err != nil {
		t.Fatalf("could not intercept %s in the browser: %v", origin, err)
	}
}

// serve makes the browser answer every request to origin with h.
func (t *T) serve(origin string, h http.Handler) {
	st := t.browserState()
	st.origins[origin] = true
	if _, err := st.s.Intercept(origin+"/", h); err != nil {
		t.Fatalf("could not serve %s in the browser: %v", origin, err)
	}
}

func (t *T) hitCount() int {
	st := t.browserState()
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.hits)
}

func (t *T) hitsSince(n int) []*url.URL {
	st := t.browserState()
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]*url.URL(nil), st.hits[n:]...)
}

// watchAll intercepts the registered redirect URIs' origins, the
// presented one's and evil.example.
func (t *T) watchAll(presented string) {
	for _, c := range t.Spec.Clients {
		t.watch(originOf(c.RedirectURI))
	}
	t.watch(originOf(presented))
	t.watch("http://evil.example")
	t.watch("https://evil.example")
}

// Navigate opens a URL in the scenario's browser and records the page.
func (t *T) Navigate(step, rawURL string) {
	st := t.browserState()
	if err := st.s.Navigate(rawURL); err != nil {
		t.snapshot(step + " (failed)")
		t.Fatalf("%s: %v", step, err)
	}
}

// snapshot records the page the user sees now, with a screenshot.
func (t *T) snapshot(step string) {
	t.recordPage(step, t.browserState().s.URL(), true)
}

func (t *T) recordPage(step, rawURL string, screenshot bool) {
	p := Page{Step: step, URL: t.redact(rawURL)}
	if screenshot {
		if img, err := t.browserState().s.Screenshot(); err == nil {
			p.Screenshot, p.ScreenshotType = img, "image/png"
		}
	}
	t.mu.Lock()
	t.res.Evidence.Pages = append(t.res.Evidence.Pages, p)
	t.mu.Unlock()
}

func (t *T) has(selector string) bool {
	if selector == "" {
		return false
	}
	ok, err := t.browserState().s.Has(selector)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return ok
}

// Authorize drives the browser through an authorization request: it
// opens the URL, signs in and answers the consent page when they appear,
// and stops at the first watched URI reached or at a page that is
// neither.
func (t *T) Authorize(req AuthRequest) *AuthResult {
	authURL, state := req.build(t)
	res := &AuthResult{URL: authURL, State: state}
	t.watchAll(req.redirectURI(t))
	mark := t.hitCount()
	t.Navigate("authorization request", authURL)
	t.drive(res, req.Deny, func() bool { return t.hitCount() != mark })
	res.Hits = t.hitsSince(mark)
	st := t.browserState()
	res.FinalURL = st.s.URL()
	res.FinalText, _ = st.s.Text()
	if len(res.Hits) > 0 {
		// The page at the callback is the suite's own stand-in for the
		// client, not worth a screenshot: the evidence keeps its URL.
		res.Callback = res.Hits[0]
		t.recordPage("callback reached", res.Callback.String(), false)
	} else {
		t.snapshot("final page")
	}
	return res
}

// drive signs in and answers the consent page while they appear, until
// done reports true or a page is neither.
func (t *T) drive(res *AuthResult, deny bool, done func() bool) {
	login := t.Spec.Login
	for step := 0; step < 6 && !done(); step++ {
		switch {
		case t.has(login.Username) && t.has(login.Password):
			if res.LoginShown {
				t.snapshot("login page again")
				t.Fatalf("the login page came back after signing in as %q: wrong credentials or selectors?", t.Spec.User.Username)
			}
			res.LoginShown = true
			t.snapshot("login page")
			t.fill(login.Username, t.Spec.User.Username)
			t.fill(login.Password, t.Spec.User.Password)
			t.click("sign in", login.Submit)
		case !res.ConsentShown && t.has(login.Consent):
			res.ConsentShown = true
			t.snapshot("consent page")
			if deny {
				t.click("deny consent", login.Deny)
			} else {
				t.click("allow consent", login.Consent)
			}
		default:
			return
		}
	}
}

// continueLogin signs in and consents from the current page on, and
// returns where the browser ended.
func (t *T) continueLogin() *AuthResult {
	res := &AuthResult{}
	t.drive(res, false, func() bool { return false })
	st := t.browserState()
	res.FinalURL = st.s.URL()
	res.FinalText, _ = st.s.Text()
	t.snapshot("final page")
	return res
}

func (t *T) fill(selector, value string) {
	if err := t.browserState().s.Fill(selector, value); err != nil {
		t.Fatalf("browser: fill %s: %v", selector, err)
	}
}

func (t *T) click(step, selector string) {
	if err := t.browserState().s.Click(selector); err != nil {
		t.snapshot(step + " (failed)")
		t.Fatalf("browser: %s (%s): %v", step, selector, err)
	}
}

// Code runs an authorization request that must succeed and returns the
// code from the callback, checking the state came back.
func (t *T) Code(req AuthRequest) (string, *AuthResult) {
	res := t.Authorize(req)
	if res.Callback == nil {
		t.Fatalf("could not obtain an authorization code: the browser stopped at %s: %s", t.redact(res.FinalURL), brief(res.FinalText))
	}
	if e := res.Param("error"); e != "" {
		t.Fatalf("could not obtain an authorization code: the provider answered error=%s error_description=%s", e, res.Param("error_description"))
	}
	code := res.Param("code")
	if code == "" {
		t.Fatalf("the callback %s carries no code", t.redact(res.Callback.String()))
	}
	t.Secret(code)
	return code, res
}

// Tokens obtains a code for the primary client and exchanges it,
// returning the token response.
func (t *T) Tokens(req AuthRequest) *Response {
	code, _ := t.Code(req)
	c := req.client(t)
	r := t.ExchangeCode("token request", c, code, req.redirectURI(t), "")
	t.requireTokenResponse("token request", r)
	return r
}

// brief is a one-line excerpt of a page's text for a reason or note.
func brief(s string) string { return textcut.Squash(s, 200) }
