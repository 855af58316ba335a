package mockprovider

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// endSessionRequest is a validated RP-Initiated Logout request (OpenID
// Connect RP-Initiated Logout 1.0 §2).
type endSessionRequest struct {
	client *Client
	hint   *hintClaims
	// redirect is the post_logout_redirect_uri, checked against the
	// client's registered ones; empty when none was sent.
	redirect string
	state    string
}

// handleEndSession is the end_session_endpoint (RP-Initiated Logout §2,
// §3). It signs the browser out without asking only when id_token_hint
// names the signed-in user; otherwise it asks for a confirmation POST. It
// redirects only to a post_logout_redirect_uri registered for the client
// that id_token_hint or client_id identifies, with state; anything else
// gets a page and no redirect.
func (p *Provider) handleEndSession(w http.ResponseWriter, r *http.Request) {
	var q url.Values
	switch r.Method {
	case http.MethodGet:
		var err error
		if q, err = url.ParseQuery(r.URL.RawQuery); err != nil {
			p.renderError(w, http.StatusBadRequest, "Malformed logout request", "The query string could not be parsed: "+err.Error()+".")
			return
		}
	case http.MethodPost:
		form, e := parseForm(w, r)
		if e != nil {
			p.renderError(w, http.StatusBadRequest, "Malformed logout request", e.Description)
			return
		}
		q = form
	default:
		methodNotAllowed(w, "GET, POST")
		return
	}
	req, msg := p.checkEndSession(q, p.baseURL(r))
	if msg != "" {
		p.log.Info("logout request refused", "reason", msg)
		p.renderError(w, http.StatusBadRequest, "Invalid logout request", msg)
		return
	}
	s := p.currentSession(r)
	switch {
	case s == nil:
		p.finishLogout(w, r, req, "You are not signed in.")
	case r.Method == http.MethodPost && q.Get("confirm") != "":
		p.confirmLogout(w, r, s, req, q)
	case req.hint != nil && req.hint.Subject == p.sessionSubject(s):
		p.endSession(w, s)
		p.finishLogout(w, r, req, "You are signed out.")
	default:
		p.render(w, http.StatusOK, "logout", logoutPage{Title: "Sign out", User: s.username, CSRF: s.csrf,
			ClientID: clientIDOf(req.client), Redirect: req.redirect, State: req.state})
	}
}

type logoutPage struct {
	Title, User, CSRF, ClientID, Redirect, State, Message string
}

// checkEndSession validates the parameters; on failure it returns the
// reason, shown on a page (never redirected: the redirect URI is what
// may be wrong).
func (p *Provider) checkEndSession(q url.Values, issuer string) (*endSessionRequest, string) {
	get := map[string]string{}
	for _, name := range []string{"id_token_hint", "client_id", "post_logout_redirect_uri", "state", "logout_hint", "ui_locales"} {
		v, e := param(q, name, false)
		if e != nil && name != "id_token_hint" {
			return nil, e.Description
		}
		get[name] = v
	}
	hint := q.Get("id_token_hint")
	if len(q["id_token_hint"]) > 1 {
		return nil, "id_token_hint is repeated."
	}
	req := &endSessionRequest{state: get["state"], redirect: get["post_logout_redirect_uri"]}
	if hint != "" {
		h, err := p.parseIDTokenHint(hint, issuer)
		if err != nil {
			return nil, "The id_token_hint is not usable: " + err.Error() + "."
		}
		req.hint = h
	}
	if msg := p.endSessionClient(req, get["client_id"]); msg != "" {
		return nil, msg
	}
	return req, p.checkPostLogoutRedirect(req)
}

// endSessionClient identifies the client from client_id and the hint's
// aud, which must agree (RP-Initiated Logout §2).
func (p *Provider) endSessionClient(req *endSessionRequest, clientID string) string {
	if clientID != "" {
		if req.client = p.client(clientID); req.client == nil {
			return "No application is registered with client_id " + clientID + "."
		}
		if req.hint != nil && !slices.Contains(req.hint.Audience, clientID) {
			return "client_id " + clientID + " is not an audience of the id_token_hint."
		}
		return ""
	}
	if req.hint != nil && len(req.hint.Audience) == 1 {
		req.client = p.client(req.hint.Audience[0])
	}
	return ""
}

// checkPostLogoutRedirect compares post_logout_redirect_uri with the
// client's registered ones by exact string (RP-Initiated Logout §3): the
// endpoint is never an open redirector.
func (p *Provider) checkPostLogoutRedirect(req *endSessionRequest) string {
	switch {
	case req.redirect == "":
		return ""
	case p.quirk(QuirkLogoutOpenRedirect):
		if validateHTTPURL(req.redirect) != nil {
			return "post_logout_redirect_uri " + req.redirect + " is not an absolute http or https URL."
		}
		return ""
	case req.client == nil:
		return "post_logout_redirect_uri needs id_token_hint or client_id, to know which client registered it (RP-Initiated Logout §3)."
	case !slices.Contains(req.client.PostLogoutRedirectURIs, req.redirect):
		reg := "none"
		if len(req.client.PostLogoutRedirectURIs) > 0 {
			reg = strings.Join(req.client.PostLogoutRedirectURIs, ", ")
		}
		return "post_logout_redirect_uri " + req.redirect + " is not registered for " + req.client.Name +
			" (registered: " + reg + "); the provider does not redirect there."
	}
	return ""
}

// confirmLogout handles the confirmation form.
func (p *Provider) confirmLogout(w http.ResponseWriter, r *http.Request, s *session, req *endSessionRequest, form url.Values) {
	if subtle.ConstantTimeCompare([]byte(form.Get("csrf")), []byte(s.csrf)) != 1 {
		p.renderError(w, http.StatusBadRequest, "Invalid logout request", "The sign-out form expired or was not loaded from this server.")
		return
	}
	if form.Get("confirm") != "yes" {
		p.render(w, http.StatusOK, "loggedout", logoutPage{Title: "Still signed in", User: s.username,
			Message: "You are still signed in as " + s.username + "."})
		return
	}
	p.endSession(w, s)
	p.finishLogout(w, r, req, "You are signed out.")
}

// endSession forgets the session and clears its cookie.
func (p *Provider) endSession(w http.ResponseWriter, s *session) {
	p.mu.Lock()
	delete(p.st.sessions, s.id)
	p.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	p.log.Info("signed out by the end-session endpoint", "username", s.username)
}

// finishLogout sends the browser to the checked post_logout_redirect_uri
// with state, or shows msg.
func (p *Provider) finishLogout(w http.ResponseWriter, r *http.Request, req *endSessionRequest, msg string) {
	if req.redirect == "" {
		p.render(w, http.StatusOK, "loggedout", logoutPage{Title: "Signed out", Message: msg})
		return
	}
	var params [][2]string
	if req.state != "" {
		params = append(params, [2]string{"state", req.state})
	}
	http.Redirect(w, r, appendParams(req.redirect, params), http.StatusFound)
}

// sessionSubject is the sub of the session's user.
func (p *Provider) sessionSubject(s *session) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u, ok := p.st.users[s.username]; ok {
		return u.subject()
	}
	return ""
}

func clientIDOf(c *Client) string {
	if c == nil {
		return ""
	}
	return c.ID
}
