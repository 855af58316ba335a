package mockprovider

import "net/http"

// consent handles the consent form: confirm=yes issues a code,
// confirm=no redirects access_denied.
func (p *Provider) consent(w http.ResponseWriter, r *http.Request) {
	form, e := parseForm(w, r)
	if e != nil {
		p.renderError(w, http.StatusBadRequest, "Bad consent form", e.Description)
		return
	}
	s := p.currentSession(r)
	id := form.Get("consent_id")
	p.mu.Lock()
	pc, ok := p.st.consents[id]
	if ok && s != nil && pc.sessionID == s.id {
		delete(p.st.consents, id)
	} else {
		ok = false
	}
	p.mu.Unlock()
	if !ok {
		p.renderError(w, http.StatusBadRequest, "Unknown consent request",
			"This consent request is unknown, already answered or belongs to another sign-in; start again from the application.")
		return
	}
	switch form.Get("confirm") {
	case "yes":
		p.rememberConsent(s.id, &pc.req)
		p.issueCode(w, r, s.username, &pc.req)
	case "no":
		if p.quirk(QuirkConsentDenyIgnored) {
			p.issueCode(w, r, s.username, &pc.req)
			return
		}
		p.log.Info("consent denied", "client_id", pc.req.client.ID, "username", s.username)
		p.redirectError(w, r, &pc.req, ErrAccessDenied.WithDescription("the user denied the request"))
	default:
		p.renderError(w, http.StatusBadRequest, "Bad consent form", "confirm must be yes or no.")
	}
}
