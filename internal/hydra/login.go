package hydra

import (
	"crypto/subtle"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"
)

//go:embed templates/pages.html
var pagesHTML string

var pages = template.Must(template.New("pages").Parse(pagesHTML))

const maxFormBytes = 64 << 10

// loginApp is Hydra's login, consent and logout provider (URLS_LOGIN,
// URLS_CONSENT, URLS_LOGOUT)
// and the protected resource /oauth/api/me.
type loginApp struct {
	admin  *adminClient
	users  map[string]User
	logger *slog.Logger
}

// page is what the templates show.
type page struct {
	Title, Version   string
	Client           string // the client's name, or its id
	Challenge, Error string
	Username, User   string
	RedirectURI      string
	Scopes           []string
}

// startLoginApp serves the login app on a free 127.0.0.1 port.
func (h *Instance) startLoginApp(users []User) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("hydra: login app: %w", err)
	}
	h.LoginURL = "http://" + ln.Addr().String()
	h.MeURL = h.LoginURL + "/oauth/api/me"
	app := &loginApp{admin: h.admin, users: make(map[string]User, len(users)), logger: h.logger}
	for _, u := range users {
		app.users[u.Username] = u
	}
	h.login = &http.Server{Handler: app.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := h.login.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.logger.Error("login app stopped", "err", err)
		}
	}()
	return nil
}

func (a *loginApp) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", a.showLogin)
	mux.HandleFunc("POST /login", a.postLogin)
	mux.HandleFunc("GET /consent", a.showConsent)
	mux.HandleFunc("POST /consent", a.postConsent)
	mux.HandleFunc("GET /logout", a.showLogout)
	mux.HandleFunc("/oauth/api/me", a.handleMe)
	mux.HandleFunc("/oauth/api/email", a.handleEmail)
	return mux
}

// showLogin serves GET /login?login_challenge=...: the sign-in form, or
// straight on when Hydra already knows the user (skip).
func (a *loginApp) showLogin(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("login_challenge")
	if challenge == "" {
		a.renderError(w, http.StatusBadRequest, "Bad sign-in link", "The login_challenge parameter is missing; start again at the client.")
		return
	}
	req, err := a.admin.loginRequest(r.Context(), challenge)
	if err != nil {
		a.flowFailed(w, r, "login", err)
		return
	}
	if req.Skip {
		to, err := a.admin.acceptLogin(r.Context(), challenge, acceptLogin{Subject: req.Subject})
		a.proceed(w, r, "login", to, err)
		return
	}
	a.render(w, http.StatusOK, "login", page{Title: "Sign in", Challenge: challenge, Client: clientName(req.Client)})
}

// postLogin checks the credentials and accepts the login request.
func (a *loginApp) postLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		a.renderError(w, http.StatusBadRequest, "Bad sign-in form", "The form body is malformed or too large.")
		return
	}
	challenge := r.PostForm.Get("login_challenge")
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if challenge == "" {
		a.renderError(w, http.StatusBadRequest, "Bad sign-in form", "The login_challenge field is missing; start again at the client.")
		return
	}
	u, known := a.users[username]
	if !known || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		a.logger.Info("sign-in refused", "username", username)
		a.render(w, http.StatusUnauthorized, "login", page{Title: "Sign in", Challenge: challenge, Username: username,
			Error: "Invalid username or password."})
		return
	}
	a.logger.Info("signed in", "username", username)
	// Remember: Hydra keeps the sign-in session, so that prompt=login,
	// prompt=none and max_age (OpenID Connect Core §3.1.2.1) mean
	// something on the next request.
	to, err := a.admin.acceptLogin(r.Context(), challenge, acceptLogin{Subject: u.Username, Remember: true})
	a.proceed(w, r, "login", to, err)
}

// showConsent serves GET /consent?consent_challenge=...: the consent page,
// or straight on when Hydra says consent may be skipped.
func (a *loginApp) showConsent(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("consent_challenge")
	if challenge == "" {
		a.renderError(w, http.StatusBadRequest, "Bad consent link", "The consent_challenge parameter is missing; start again at the client.")
		return
	}
	req, err := a.admin.consentRequest(r.Context(), challenge)
	if err != nil {
		a.flowFailed(w, r, "consent", err)
		return
	}
	if req.Skip || req.Client.SkipConsent {
		to, err := a.admin.acceptConsent(r.Context(), challenge, a.grant(req))
		a.proceed(w, r, "consent", to, err)
		return
	}
	a.render(w, http.StatusOK, "consent", page{
		Title:       "Authorize " + clientName(req.Client),
		Challenge:   challenge,
		Client:      clientName(req.Client),
		User:        req.Subject,
		Scopes:      req.RequestedScope,
		RedirectURI: redirectURI(req),
	})
}

// postConsent accepts (confirm=yes) or rejects (confirm=no) the consent request.
func (a *loginApp) postConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		a.renderError(w, http.StatusBadRequest, "Bad consent form", "The form body is malformed or too large.")
		return
	}
	challenge, confirm := r.PostForm.Get("consent_challenge"), r.PostForm.Get("confirm")
	if challenge == "" || (confirm != "yes" && confirm != "no") {
		a.renderError(w, http.StatusBadRequest, "Bad consent form", "The form needs consent_challenge and confirm=yes or confirm=no.")
		return
	}
	req, err := a.admin.consentRequest(r.Context(), challenge)
	if err != nil {
		a.flowFailed(w, r, "consent", err)
		return
	}
	var to string
	if confirm == "yes" {
		a.logger.Info("consent given", "subject", req.Subject, "client", req.Client.ClientID, "scope", req.RequestedScope)
		to, err = a.admin.acceptConsent(r.Context(), challenge, a.grant(req))
	} else {
		a.logger.Info("consent denied", "subject", req.Subject, "client", req.Client.ClientID)
		to, err = a.admin.rejectConsent(r.Context(), challenge, rejectRequest{
			Error: "access_denied", Description: "The resource owner denied the request.", StatusCode: http.StatusForbidden,
		})
	}
	a.proceed(w, r, "consent", to, err)
}

// grant is the consent given: the requested scopes and audience, with the
// user's name (and e-mail address, when the email scope is granted) as
// claims of the tokens.
func (a *loginApp) grant(req *flowRequest) acceptConsent {
	claims := map[string]any{"username": req.Subject}
	idClaims := map[string]any{}
	if u, ok := a.users[req.Subject]; ok && u.Email != "" && slices.Contains(req.RequestedScope, "email") {
		claims["email"] = u.Email
		idClaims["email"] = u.Email
	}
	return acceptConsent{
		GrantScope:    nonNil(req.RequestedScope),
		GrantAudience: nonNil(req.RequestedAudience),
		Session:       consentSession{AccessToken: claims, IDToken: idClaims},
	}
}

// proceed sends the browser to Hydra's redirect_to after an accept or reject.
func (a *loginApp) proceed(w http.ResponseWriter, r *http.Request, flow, to string, err error) {
	if err != nil {
		a.flowFailed(w, r, flow, err)
		return
	}
	if to == "" {
		a.renderError(w, http.StatusBadGateway, "Hydra did not answer as expected", "Hydra accepted the "+flow+" request but gave no redirect_to.")
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// flowFailed shows why a call to Hydra failed, or goes on where Hydra says
// when the request was already handled.
func (a *loginApp) flowFailed(w http.ResponseWriter, r *http.Request, flow string, err error) {
	if to, ok := goneTo(err); ok {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	a.logger.Warn("Hydra admin API call failed", "flow", flow, "err", err)
	var ae *AdminError
	if errors.As(err, &ae) && ae.StatusCode < 500 {
		a.renderError(w, http.StatusBadRequest, "Unknown or expired "+flow+" request",
			"Hydra does not know this "+flow+" request (it may have expired or been used); start again at the client. "+err.Error())
		return
	}
	a.renderError(w, http.StatusBadGateway, "Hydra is not answering", err.Error())
}

func (a *loginApp) render(w http.ResponseWriter, status int, name string, p page) {
	p.Version = Version
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, p); err != nil {
		a.logger.Error("rendering a page", "page", name, "err", err)
	}
}

func (a *loginApp) renderError(w http.ResponseWriter, status int, title, msg string) {
	a.render(w, status, "error", page{Title: title, Error: msg})
}

func clientName(c oauth2Client) string {
	if c.ClientName != "" {
		return c.ClientName
	}
	return c.ClientID
}

// redirectURI is where the client asked to be sent back, from the original
// authorization request.
func redirectURI(req *flowRequest) string {
	if u, err := url.Parse(req.RequestURL); err == nil {
		if ru := u.Query().Get("redirect_uri"); ru != "" {
			return ru
		}
	}
	if len(req.Client.RedirectURIs) == 1 {
		return req.Client.RedirectURIs[0]
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
