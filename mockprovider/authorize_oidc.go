package mockprovider

import (
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The OpenID Connect authentication errors (OIDC Core §3.1.2.6), redirected
// to the client like the RFC 6749 ones.
var (
	ErrLoginRequired       = &Error{Code: "login_required", Status: http.StatusBadRequest}
	ErrConsentRequired     = &Error{Code: "consent_required", Status: http.StatusBadRequest}
	ErrRequestNotSupported = &Error{Code: "request_not_supported", Status: http.StatusBadRequest}
	ErrRequestURINotSupp   = &Error{Code: "request_uri_not_supported", Status: http.StatusBadRequest}
)

// openIDRequest holds the OpenID Connect parameters of an authorization
// request (OIDC Core §3.1.2.1).
type openIDRequest struct {
	nonce string
	// prompt are the prompt values: none, login, consent, select_account.
	prompt []string
	// maxAge is max_age in seconds, -1 when absent.
	maxAge    int64
	loginHint string
	// hint is the verified id_token_hint, nil when absent.
	hint *hintClaims
}

func (o *openIDRequest) promptNone() bool  { return slices.Contains(o.prompt, "none") }
func (o *openIDRequest) promptLogin() bool { return slices.Contains(o.prompt, "login") }

// checkOpenID parses the OpenID parameters of a request whose scope has
// openid; other requests keep them unread (RFC 6749 §3.1: unknown
// parameters are ignored).
func (p *Provider) checkOpenID(q url.Values, req *authorizeRequest, issuer string) *Error {
	req.openID = openIDRequest{maxAge: -1}
	if !grantedOpenID(req.scopes) {
		return nil
	}
	get := map[string]string{}
	for _, name := range []string{"nonce", "prompt", "max_age", "login_hint", "id_token_hint", "request", "request_uri"} {
		v, e := param(q, name, false)
		if e != nil && name != "id_token_hint" {
			return e
		}
		get[name] = v
	}
	switch {
	case get["request"] != "":
		return ErrRequestNotSupported.WithDescription("request objects are not supported (request_parameter_supported is false)")
	case get["request_uri"] != "":
		return ErrRequestURINotSupp.WithDescription("request_uri is not supported (request_uri_parameter_supported is false)")
	}
	o := &req.openID
	o.nonce, o.loginHint = get["nonce"], get["login_hint"]
	if e := o.parsePrompt(get["prompt"]); e != nil {
		return e
	}
	if v := get["max_age"]; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return ErrInvalidRequest.WithDescription("max_age %q is not a non-negative number of seconds (OIDC Core §3.1.2.1)", v)
		}
		o.maxAge = min(n, int64(math.MaxInt64/time.Second)) // a longer max_age is no limit at all
	}
	if len(q["id_token_hint"]) > 1 {
		return ErrInvalidRequest.WithDescription("parameter %q is repeated; RFC 6749 §3.1 allows it once", "id_token_hint")
	}
	if hint := q.Get("id_token_hint"); hint != "" {
		h, err := p.parseIDTokenHint(hint, issuer)
		if err != nil {
			return ErrInvalidRequest.WithDescription("%v", err)
		}
		o.hint = h
	}
	return nil
}

// parsePrompt checks the prompt values (OIDC Core §3.1.2.1): none must be
// alone.
func (o *openIDRequest) parsePrompt(v string) *Error {
	for _, value := range strings.Fields(v) {
		switch value {
		case "none", "login", "consent", "select_account":
			o.prompt = append(o.prompt, value)
		default:
			return ErrInvalidRequest.WithDescription("prompt value %q is not supported (none, login, consent, select_account)", value)
		}
	}
	if o.promptNone() && len(o.prompt) > 1 {
		return ErrInvalidRequest.WithDescription("prompt=none cannot be combined with other values (OIDC Core §3.1.2.1)")
	}
	return nil
}

// needsSignIn reports whether the signed-in session may not grant the
// request: prompt=login, an authentication older than max_age, or an
// id_token_hint naming another user (OIDC Core §3.1.2.1).
func (p *Provider) needsSignIn(s *session, req *authorizeRequest, now time.Time) bool {
	o := &req.openID
	switch {
	case o.promptLogin() && !p.quirk(QuirkPromptLoginIgnored):
		return true
	case o.maxAge >= 0 && now.Sub(s.authTime) > time.Duration(o.maxAge)*time.Second && !p.quirk(QuirkMaxAgeIgnored):
		return true
	case o.hint != nil && o.hint.Subject != p.sessionSubject(s):
		return true
	}
	return false
}

// withoutPromptLogin is the request the login page comes back to: the
// same, without prompt=login, so that it does not ask again.
func withoutPromptLogin(q url.Values, req *authorizeRequest) url.Values {
	if !req.openID.promptLogin() {
		return q
	}
	q = maps.Clone(q)
	rest := slices.DeleteFunc(slices.Clone(req.openID.prompt), func(v string) bool { return v == "login" })
	if len(rest) == 0 {
		q.Del("prompt")
	} else {
		q.Set("prompt", strings.Join(rest, " "))
	}
	return q
}

// sessionFor is the browser's session if it may grant the request, nil
// when the user must sign in (again).
func (p *Provider) sessionFor(r *http.Request, req *authorizeRequest) *session {
	s := p.currentSession(r)
	if s != nil && p.needsSignIn(s, req, p.clock.Now()) {
		return nil
	}
	return s
}

// consentedBefore reports whether the session's user already allowed the
// client these scopes (what prompt=none needs without a consent page).
func (p *Provider) consentedBefore(s *session, req *authorizeRequest) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur, ok := p.st.sessions[s.id]
	if !ok {
		return false
	}
	allowed := cur.consented[req.client.ID]
	for _, sc := range req.scopes {
		if !slices.Contains(allowed, sc) {
			return false
		}
	}
	return true
}

// rememberConsent records the scopes the user allowed the client.
func (p *Provider) rememberConsent(sessionID string, req *authorizeRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.st.sessions[sessionID]
	if !ok {
		return
	}
	if s.consented == nil {
		s.consented = map[string][]string{}
	}
	for _, sc := range req.scopes {
		if !slices.Contains(s.consented[req.client.ID], sc) {
			s.consented[req.client.ID] = append(s.consented[req.client.ID], sc)
		}
	}
}

// loginHint is the login_hint of the authorization request in next, to
// prefill the username (OIDC Core §3.1.2.1).
func loginHint(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Path != "/oauth/authorize" {
		return ""
	}
	h := u.Query().Get("login_hint")
	if !validText(h, 200) {
		return ""
	}
	return h
}
