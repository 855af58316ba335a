package clientapp

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

// Cookies set by the [App]. Both are HttpOnly, SameSite=Lax, Path=/, and Secure when the redirect
// URL is https. Cookies are not scoped by port: two Apps on one host share them, so give each its
// own browser context.
const (
	// StateCookie holds the state of the sign-in in progress (RFC 6749 §10.12) for 10 minutes; it
	// is cleared when the callback uses it.
	StateCookie = "clientapp_state"
	// SessionCookie holds the random id of a signed-in session; the token stays on the server.
	SessionCookie = "clientapp_session"
)

const (
	logoutPath     = "/logout"
	defaultTimeout = 10 * time.Second
	maxQueryLen    = 8 << 10 // longest callback query accepted
	maxMeBody      = 1 << 20 // largest /me response read
)

// App is the sample client of the seed: an [http.Handler] serving
//   - GET / : the provider's /me JSON when signed in, else a 302 to the authorization endpoint;
//   - GET /authorized (the path of [Config.RedirectURL]): the callback, which checks state,
//     exchanges the code and shows {"oauth_token": ..., "user": {...}}; with scope openid it first
//     verifies the id_token and adds its claims as "id_token_claims";
//   - GET /logout : ends the session and redirects to /, through the provider's
//     end_session_endpoint (RP-Initiated Logout) when the session has an id_token.
//
// Every other answer is a small HTML page whose <h1> is its title and whose element #message holds
// the line to look for (the provider's own words, when it gave any, HTML-escaped); #detail holds a
// response excerpt. 400 is for what the browser or the provider's redirect got wrong, 502 for a
// provider that cannot be reached or answers badly:
//   - 400 "state mismatch": "state mismatch: <reason> No token was requested."
//   - 400 "Access denied": "Access denied: error=<error> error_description=<error_description>"
//   - 400 "invalid callback": a malformed, oversized, non-UTF-8 or repeated-parameter query, or no code
//   - 400 "token error": "Token request failed: error=<error> error_description=<error_description>"
//   - 400 "issuer mismatch": the callback's iss (RFC 9207) is not [Config.Issuer]
//   - 502 "id_token rejected": "The id_token failed the <check> check: <reason>" (check: missing,
//     discovery, signature, alg, iss, aud, exp, nbf, nonce, at_hash, format); no session starts
//   - 502 "provider unreachable": "Could not reach the token endpoint: POST <token URL> failed: <err>"
//   - 502 "token endpoint failure": an answer without an RFC 6749 error code, or without access_token
//   - 502 "/me failure": "GET <me URL> answered <status>." (or could not be reached, or not a JSON object)
//
// An App is safe for concurrent use.
type App struct {
	cfg      Config
	oauth    *oauth2.Config
	client   *http.Client
	log      *slog.Logger
	callback string // path of the redirect URL
	home     string // origin of the redirect URL + "/"
	secure   bool   // redirect URL is https: cookies get Secure
	store    *store
	now      func() time.Time
	oidc     *openID // nil unless scope has openid
}

var _ http.Handler = (*App)(nil)

// New validates cfg and returns the App. The error lists every problem found, each naming the
// [Config] field (or environment variable) at fault.
func New(cfg Config) (*App, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Scopes = slices.Clone(cfg.Scopes)
	redirect, _ := url.Parse(cfg.RedirectURL) // validated above
	a := &App{
		cfg:      cfg,
		client:   cfg.HTTPClient,
		log:      cfg.Logger,
		callback: callbackPath(redirect),
		home:     (&url.URL{Scheme: redirect.Scheme, Host: redirect.Host, Path: "/"}).String(),
		secure:   redirect.Scheme == "https",
		store:    newStore(),
		now:      time.Now,
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: defaultTimeout}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now != nil {
		a.now = cfg.Now
	}
	if wantsOpenID(cfg.Scopes) {
		a.oidc = &openID{issuer: cfg.Issuer, clientID: cfg.ClientID, client: a.client, now: a.now}
	}
	a.oauth = a.OAuth2Config()
	return a, nil
}

// OAuth2Config returns a new [oauth2.Config] for the App's client registration and provider: the
// one the App uses for [oauth2.Config.AuthCodeURL] and [oauth2.Config.Exchange].
func (a *App) OAuth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     a.cfg.ClientID,
		ClientSecret: a.cfg.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   a.cfg.AuthURL,
			TokenURL:  a.cfg.TokenURL,
			AuthStyle: a.cfg.AuthStyle,
		},
		RedirectURL: a.cfg.RedirectURL,
		Scopes:      slices.Clone(a.cfg.Scopes),
	}
}

// HomeURL returns the URL to open in a browser: the origin of [Config.RedirectURL] followed by "/",
// e.g. http://localhost:8000/ (the seed's HomePage URL). Opening the App at another host (say
// 127.0.0.1 instead of localhost) loses the state cookie on the way back.
func (a *App) HomeURL() string { return a.home }

// ServeHTTP dispatches to /, the callback path and /logout. It never panics: a bug shows as a 500
// page and an error log.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer a.recoverPanic(w)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // the callback URL carries the code
	var handle func(http.ResponseWriter, *http.Request)
	switch r.URL.Path {
	case "/":
		handle = a.index
	case a.callback:
		handle = a.authorized
	case logoutPath:
		handle = a.logout
	default:
		a.renderPage(w, page{Status: http.StatusNotFound, Title: "not found",
			Message: fmt.Sprintf("This client serves /, %s and %s only.", a.callback, logoutPath)})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		a.renderPage(w, page{Status: http.StatusMethodNotAllowed, Title: "method not allowed",
			Message: fmt.Sprintf("%s %s: use GET.", r.Method, r.URL.Path)})
		return
	}
	handle(w, r)
}

func (a *App) recoverPanic(w http.ResponseWriter) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	a.log.Error("clientapp: panic", "panic", v, "stack", string(debug.Stack()))
	a.renderPage(w, page{Status: http.StatusInternalServerError, Title: "internal error",
		Message: "The client app failed; its log has the details."})
}

// index shows /me for a signed-in browser and starts a sign-in otherwise.
func (a *App) index(w http.ResponseWriter, r *http.Request) {
	id, tok, ok := a.session(r)
	if !ok {
		a.startSignIn(w, r)
		return
	}
	user, fail := a.fetchMe(r.Context(), tok)
	if fail != nil {
		if fail.unauthorized {
			a.store.deleteSession(id)
			a.clearCookie(w, SessionCookie)
			fail.page.Hint = "The session has been ended; open / to sign in again."
		}
		a.renderPage(w, fail.page)
		return
	}
	a.writeJSON(w, user)
}

// startSignIn redirects to the authorization endpoint (RFC 6749 §4.1.1) with a fresh state bound
// to the state cookie and, with PKCE, an S256 challenge whose verifier stays on the server.
func (a *App) startSignIn(w http.ResponseWriter, r *http.Request) {
	state := newID()
	p := pendingAuth{expires: a.now().Add(stateTTL)}
	var opts []oauth2.AuthCodeOption
	if a.cfg.PKCE {
		p.verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(p.verifier))
	}
	if a.oidc != nil {
		p.nonce = newID()
		opts = append(opts, oauth2.SetAuthURLParam("nonce", p.nonce))
	}
	if err := a.store.addPending(state, p, a.now()); err != nil {
		a.renderPage(w, busyPage(err))
		return
	}
	a.setCookie(w, StateCookie, state, stateTTL)
	a.log.Info("clientapp: redirecting to the authorization endpoint", "auth_url", a.cfg.AuthURL, "pkce", a.cfg.PKCE)
	http.Redirect(w, r, a.oauth.AuthCodeURL(state, opts...), http.StatusFound)
}

// authorized is the redirection endpoint (RFC 6749 §4.1.2): state first, then the provider's
// error, then the code exchange and the /me call.
func (a *App) authorized(w http.ResponseWriter, r *http.Request) {
	q, reason := parseCallbackQuery(r.URL.RawQuery)
	if reason != "" {
		a.log.Warn("clientapp: invalid callback", "reason", reason)
		a.renderPage(w, page{Status: http.StatusBadRequest, Title: "invalid callback", Message: reason})
		return
	}
	pending, fail := a.checkState(w, r, q)
	if fail != nil {
		a.log.Warn("clientapp: state mismatch", "reason", fail.Message)
		a.renderPage(w, *fail)
		return
	}
	if fail := a.checkIss(r.Context(), q); fail != nil {
		a.renderPage(w, *fail)
		return
	}
	if q.Has("error") {
		a.log.Warn("clientapp: authorization denied", "error", q.Get("error"))
		a.renderPage(w, accessDeniedPage(q))
		return
	}
	code := q.Get("code")
	if code == "" {
		a.renderPage(w, page{Status: http.StatusBadRequest, Title: "invalid callback",
			Message: "The callback carries neither a code nor an error parameter."})
		return
	}
	tok, claims, fail := a.exchange(r.Context(), code, pending)
	if fail != nil {
		a.renderPage(w, *fail)
		return
	}
	user, meFail := a.fetchMe(r.Context(), tok)
	if meFail != nil {
		a.renderPage(w, meFail.page)
		return
	}
	if err := a.startSession(w, r, tok); err != nil {
		a.renderPage(w, busyPage(err))
		return
	}
	a.log.Info("clientapp: signed in", "me_url", a.cfg.MeURL)
	a.writeJSON(w, struct {
		OAuthToken    string          `json:"oauth_token"`
		User          json.RawMessage `json:"user"`
		IDTokenClaims json.RawMessage `json:"id_token_claims,omitempty"`
	}{tok.AccessToken, user, idTokenClaimsJSON(claims)})
}

// exchange redeems the code (RFC 6749 §4.1.3) and, for an OpenID sign-in, verifies the id_token;
// on failure it returns the page to show.
func (a *App) exchange(ctx context.Context, code string, pending pendingAuth) (*oauth2.Token, map[string]any, *page) {
	var opts []oauth2.AuthCodeOption
	if pending.verifier != "" {
		opts = append(opts, oauth2.VerifierOption(pending.verifier))
	}
	tok, err := a.oauth.Exchange(context.WithValue(ctx, oauth2.HTTPClient, a.client), code, opts...)
	if err != nil {
		a.log.Warn("clientapp: token request failed", "token_url", a.cfg.TokenURL, "err", err)
		p := a.tokenFailurePage(err)
		return nil, nil, &p
	}
	claims, fail := a.verifyIDToken(ctx, tok, pending.nonce)
	if fail != nil {
		return nil, nil, fail
	}
	return tok, claims, nil
}

// logout ends the session and goes back to /: through the provider's end_session_endpoint with
// the session's id_token as id_token_hint (RP-Initiated Logout 1.0 §2), when there are both.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	target := "/"
	if id, tok, ok := a.session(r); ok {
		target = a.endSessionURL(tok)
		a.store.deleteSession(id)
	}
	a.clearCookie(w, SessionCookie)
	http.Redirect(w, r, target, http.StatusFound)
}

// parseCallbackQuery parses the callback's query strictly: bounded length, well-formed escapes,
// valid UTF-8, and no repeated protocol parameter (state is checked by checkState). On failure it
// returns the reason, a sentence for the 400 page.
func parseCallbackQuery(raw string) (url.Values, string) {
	if len(raw) > maxQueryLen {
		return nil, fmt.Sprintf("The callback query is %d bytes long, more than the %d accepted.", len(raw), maxQueryLen)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Sprintf("The callback query is malformed: %v.", err)
	}
	for k, vs := range q {
		if !utf8.ValidString(k) {
			return nil, "A callback parameter name is not valid UTF-8."
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, fmt.Sprintf("The callback parameter %q is not valid UTF-8.", k)
			}
		}
	}
	for _, k := range []string{"code", "error", "error_description", "error_uri", "iss"} {
		if len(q[k]) > 1 {
			return nil, fmt.Sprintf("The callback parameter %q is repeated.", k)
		}
	}
	return q, ""
}

// checkState requires exactly one state parameter equal to the state cookie and to a sign-in in
// progress, which it consumes together with the cookie. On failure it returns the 400 page.
func (a *App) checkState(w http.ResponseWriter, r *http.Request, q url.Values) (pendingAuth, *page) {
	mismatch := func(reason, hint string) (pendingAuth, *page) {
		return pendingAuth{}, &page{Status: http.StatusBadRequest, Title: "state mismatch",
			Message: "state mismatch: " + reason + " No token was requested.", Hint: hint}
	}
	states := q["state"]
	switch {
	case len(states) == 0 || states[0] == "":
		return mismatch("the callback carries no state parameter.", "")
	case len(states) > 1:
		return mismatch("the callback carries the state parameter more than once.", "")
	}
	cookie, err := r.Cookie(StateCookie)
	if err != nil || cookie.Value == "" {
		return mismatch("this browser sent no state cookie.", fmt.Sprintf(
			"Open the client at %s (the host of its redirect URL) so that the cookie set when the sign-in "+
				"started comes back with the callback; a sign-in also expires after %v.", a.home, stateTTL))
	}
	if subtle.ConstantTimeCompare([]byte(states[0]), []byte(cookie.Value)) != 1 {
		return mismatch("the state parameter differs from the one this browser was given.", "")
	}
	pending, ok := a.store.takePending(states[0], a.now())
	a.clearCookie(w, StateCookie)
	if !ok {
		return mismatch("this sign-in is unknown, expired or already used.", "")
	}
	return pending, nil
}

func accessDeniedPage(q url.Values) page {
	msg := fmt.Sprintf("Access denied: error=%s error_description=%s", q.Get("error"), q.Get("error_description"))
	if uri := q.Get("error_uri"); uri != "" {
		msg += " error_uri=" + uri
	}
	return page{Status: http.StatusBadRequest, Title: "Access denied", Message: msg}
}

// tokenFailurePage turns an [oauth2.Config.Exchange] error into a page: 400 for an RFC 6749 §5.2
// error response, 502 for an unreachable endpoint or an unusable answer.
func (a *App) tokenFailurePage(err error) page {
	target := "POST " + a.cfg.TokenURL
	if re, ok := errors.AsType[*oauth2.RetrieveError](err); ok {
		status := "no status"
		if re.Response != nil {
			status = re.Response.Status
		}
		if re.ErrorCode != "" {
			msg := fmt.Sprintf("Token request failed: error=%s error_description=%s", re.ErrorCode, re.ErrorDescription)
			if re.ErrorURI != "" {
				msg += " error_uri=" + re.ErrorURI
			}
			return page{Status: http.StatusBadRequest, Title: "token error", Message: msg,
				Detail: fmt.Sprintf("%s answered %s", target, status)}
		}
		return page{Status: http.StatusBadGateway, Title: "token endpoint failure",
			Message: fmt.Sprintf("%s answered %s without an RFC 6749 error code.", target, status),
			Detail:  excerpt(re.Body)}
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return page{Status: http.StatusBadGateway, Title: "provider unreachable",
			Message: fmt.Sprintf("Could not reach the token endpoint: %s failed: %v", target, ue.Err)}
	}
	return page{Status: http.StatusBadGateway, Title: "token endpoint failure",
		Message: fmt.Sprintf("%s gave an unusable answer: %v", target, err)}
}

// meFailure is a failed /me call: the 502 page, and whether the token was refused (401).
type meFailure struct {
	page         page
	unauthorized bool
}

// fetchMe calls the protected resource with the bearer token (RFC 6750 §2.1) and returns its JSON
// object as returned.
func (a *App) fetchMe(ctx context.Context, tok *oauth2.Token) (json.RawMessage, *meFailure) {
	target := "GET " + a.cfg.MeURL
	fail := func(msg, detail string) (json.RawMessage, *meFailure) {
		a.log.Warn("clientapp: /me request failed", "me_url", a.cfg.MeURL, "reason", msg)
		return nil, &meFailure{page: page{Status: http.StatusBadGateway, Title: "/me failure", Message: msg, Detail: detail}}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.cfg.MeURL, nil)
	if err != nil {
		return fail(fmt.Sprintf("%s: %v", target, err), "")
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return fail(fmt.Sprintf("Could not reach the /me resource: %s failed: %v", target, err), "")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMeBody+1))
	switch {
	case err != nil:
		return fail(fmt.Sprintf("%s: reading the response failed: %v", target, err), "")
	case len(body) > maxMeBody:
		return fail(fmt.Sprintf("%s answered more than %d bytes.", target, maxMeBody), "")
	case resp.StatusCode != http.StatusOK:
		detail := excerpt(body)
		if wa := resp.Header.Get("WWW-Authenticate"); wa != "" {
			detail = "WWW-Authenticate: " + wa + "\n" + detail
		}
		user, f := fail(fmt.Sprintf("%s answered %s.", target, resp.Status), detail)
		f.unauthorized = resp.StatusCode == http.StatusUnauthorized
		return user, f
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return fail(fmt.Sprintf("%s answered 200 but not a JSON object.", target), excerpt(body))
	}
	return body, nil
}

// session returns the id and token of the browser's session, if it has one.
func (a *App) session(r *http.Request) (string, *oauth2.Token, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return "", nil, false
	}
	tok, ok := a.store.token(c.Value, a.now())
	return c.Value, tok, ok
}

// startSession stores tok under a new session id (never the one the browser brought) and sets the
// session cookie.
func (a *App) startSession(w http.ResponseWriter, r *http.Request, tok *oauth2.Token) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		a.store.deleteSession(c.Value)
	}
	id, err := a.store.addSession(tok, a.now())
	if err != nil {
		return err
	}
	a.setCookie(w, SessionCookie, id, sessionTTL)
	return nil
}

func (a *App) setCookie(w http.ResponseWriter, name, value string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

func (a *App) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

func busyPage(err error) page {
	return page{Status: http.StatusServiceUnavailable, Title: "busy",
		Message: err.Error() + "; try again in a few minutes."}
}
