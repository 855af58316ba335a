package mockprovider

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

const (
	sessionCookie = "mockprovider_session"
	loginCookie   = "mockprovider_login"
	maxFormBytes  = 64 << 10
	// maxNextLength bounds next, which holds a whole authorization request.
	maxNextLength = 16 << 10
)

// currentSession returns the signed-in session, or nil.
func (p *Provider) currentSession(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.st.sessions.Get(c.Value)
	if !ok || !p.clock.Now().Before(s.expiresAt) {
		return nil
	}
	cp := *s
	return &cp
}

func (p *Provider) handleHome(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	data := struct{ Title, User string }{Title: "Home"}
	if s := p.currentSession(r); s != nil {
		data.User = s.username
	}
	p.render(w, http.StatusOK, "home", data)
}

type loginPage struct {
	Title, Next, CSRF, Error, Username string
}

// handleLogin serves the seed's login page: GET /oauth?next=... shows the
// form, POST signs in and sends the browser on to next.
func (p *Provider) handleLogin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		next, ok := p.safeNext(r, r.URL.Query().Get("next"))
		if !ok {
			p.renderError(w, http.StatusBadRequest, "Bad sign-in link",
				"The next parameter must be a path on this server; the provider never redirects elsewhere after sign-in.")
			return
		}
		p.showLogin(w, http.StatusOK, next, loginHint(next), "")
	case http.MethodPost:
		p.postLogin(w, r)
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

func (p *Provider) showLogin(w http.ResponseWriter, status int, next, username, msg string) {
	csrf := p.ids.String(sessionIDLength)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: csrf, Path: "/oauth", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	p.render(w, status, "login", loginPage{Title: "Sign in", Next: next, CSRF: csrf, Error: msg, Username: username})
}

func (p *Provider) postLogin(w http.ResponseWriter, r *http.Request) {
	if p.refuseForeignForm(w, r) {
		return
	}
	form, e := parseForm(w, r)
	if e != nil {
		p.showLogin(w, http.StatusBadRequest, "/", "", e.Description)
		return
	}
	next, ok := p.safeNext(r, form.Get("next"))
	if !ok {
		p.renderError(w, http.StatusBadRequest, "Bad sign-in link",
			"The next parameter must be a path on this server; the provider never redirects elsewhere after sign-in.")
		return
	}
	username, e := param(form, "username", false)
	password, pe := param(form, "password", false)
	if e = cmp.Or(e, pe); e != nil {
		p.showLogin(w, http.StatusBadRequest, next, "", e.Description)
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form.Get("csrf"))) != 1 {
		p.showLogin(w, http.StatusBadRequest, next, username, "The sign-in form expired or was not loaded from this server; please sign in again.")
		return
	}
	p.mu.Lock()
	u, known := p.st.users[username]
	p.mu.Unlock()
	if !known || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		p.log.Info("sign-in refused", "username", username)
		p.showLogin(w, http.StatusUnauthorized, next, username, "Invalid username or password.")
		return
	}
	now := p.clock.Now()
	s := &session{id: p.ids.String(sessionIDLength), username: u.Username, csrf: p.ids.String(sessionIDLength),
		authTime: now, expiresAt: now.Add(DefaultSessionLifetime)}
	p.mu.Lock()
	p.st.sessions.Put(s.id, s)
	p.st.added++
	p.mu.Unlock()
	p.log.Info("signed in", "username", u.Username)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/oauth", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext accepts a same-origin path (or an absolute URL on this very
// host, as the seed's links carry) and returns it as a path. Anything
// else would make the login page an open redirector.
func (p *Provider) safeNext(r *http.Request, next string) (string, bool) {
	if next == "" {
		return "/", true
	}
	if len(next) > maxNextLength || strings.ContainsAny(next, "\\\r\n\t") {
		return "", false
	}
	u, err := url.Parse(next)
	if err != nil || u.Opaque != "" || u.User != nil {
		return "", false
	}
	if u.IsAbs() || u.Host != "" {
		base, _ := url.Parse(p.baseURL(r))
		if u.Host != base.Host || (u.Scheme != "" && u.Scheme != base.Scheme) {
			return "", false
		}
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out, true
}

// handleLogout signs the user out, by POST only (a GET is a link any page
// could embed) and from the provider's own pages.
func (p *Provider) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return
	}
	if p.refuseForeignForm(w, r) {
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		p.mu.Lock()
		p.st.sessions.Delete(c.Value)
		p.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
