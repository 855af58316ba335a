package mockprovider

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

type registerPage struct {
	Title, User, CSRF               string
	Name, HomepageURL, RedirectURIs string
	Errors                          []string
	Client                          *Client
	Base                            string
}

// handleRegister is the seed's "register application" page for a
// signed-in user: name, HomePage URL and callback URLs give a client id
// and secret that work at once.
func (p *Provider) handleRegister(w http.ResponseWriter, r *http.Request) {
	s := p.currentSession(r)
	if s == nil {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			methodNotAllowed(w, "GET, POST")
			return
		}
		http.Redirect(w, r, "/oauth?next="+url.QueryEscape("/oauth/register"), http.StatusFound)
		return
	}
	page := registerPage{Title: "Register an application", User: s.username, CSRF: s.csrf}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		p.render(w, http.StatusOK, "register", page)
	case http.MethodPost:
		p.postRegister(w, r, s, page)
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

func (p *Provider) postRegister(w http.ResponseWriter, r *http.Request, s *session, page registerPage) {
	if p.refuseForeignForm(w, r) {
		return
	}
	form, e := parseForm(w, r)
	if e == nil {
		// One textarea holds the callback URLs, one per line: a repeated
		// field is not this form's and would silently lose values.
		e = repeated(form, "name", "homepage_url", "redirect_uris", "csrf")
	}
	if e != nil {
		page.Errors = []string{e.Description}
		p.render(w, http.StatusBadRequest, "register", page)
		return
	}
	page.Name = strings.TrimSpace(form.Get("name"))
	page.HomepageURL = strings.TrimSpace(form.Get("homepage_url"))
	page.RedirectURIs = form.Get("redirect_uris")
	if subtle.ConstantTimeCompare([]byte(s.csrf), []byte(form.Get("csrf"))) != 1 {
		page.Errors = []string{"The form expired or was not loaded from this server; submit it again."}
		p.render(w, http.StatusBadRequest, "register", page)
		return
	}
	c := Client{Name: page.Name, HomepageURL: page.HomepageURL}
	for _, line := range strings.Split(page.RedirectURIs, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			c.RedirectURIs = append(c.RedirectURIs, line)
		}
	}
	page.Errors = validateRegistration(c)
	if len(page.Errors) > 0 {
		p.render(w, http.StatusBadRequest, "register", page)
		return
	}
	c, err := p.Register(c)
	if err != nil {
		page.Errors = []string{err.Error()}
		p.render(w, http.StatusBadRequest, "register", page)
		return
	}
	page.Client = &c
	page.Base = p.baseURL(r)
	p.render(w, http.StatusCreated, "registered", page)
}

// validateRegistration lists what is wrong with a registration form, in
// words for the person filling it.
func validateRegistration(c Client) []string {
	var errs []string
	if why := checkDisplayText(c.Name, 200); why != "" {
		errs = append(errs, "Application name: it "+why+"; give 1 to 200 visible characters.")
	}
	if err := validateHTTPURL(c.HomepageURL); err != nil {
		errs = append(errs, "HomePage URL: "+err.Error()+".")
	}
	if len(c.RedirectURIs) == 0 {
		errs = append(errs, "Authorization Callback URL: give at least one.")
	}
	if len(c.RedirectURIs) > 10 {
		errs = append(errs, "Authorization Callback URL: at most 10.")
	}
	if dup := firstDuplicate(c.RedirectURIs); dup != "" {
		errs = append(errs, fmt.Sprintf("Authorization Callback URL: %s is listed twice.", dup))
	}
	for _, u := range c.RedirectURIs {
		if err := ValidateRedirectURI(u); err != nil {
			errs = append(errs, fmt.Sprintf("Authorization Callback URL: %v.", err))
		}
	}
	return errs
}
