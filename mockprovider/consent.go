package mockprovider

import "net/http"

// consent handles the consent form: confirm=yes issues a code,
// confirm=no redirects access_denied. Both fields are checked (once each,
// yes or no) before the consent request is used up, so a bad answer
// leaves it open for a correct one.
func (p *Provider) consent(w http.ResponseWriter, r *http.Request) {
	if p.refuseForeignForm(w, r) {
		return
	}
	form, e := parseForm(w, r)
	if e != nil {
		p.renderError(w, http.StatusBadRequest, "Bad consent form", e.Description)
		return
	}
	id, e := param(form, "consent_id", false)
	if e != nil {
		p.renderError(w, http.StatusBadRequest, "Bad consent form", e.Description)
		return
	}
	confirm, e := param(form, "confirm", false)
	if e == nil && confirm != "yes" && confirm != "no" {
		e = ErrInvalidRequest.WithDescription("confirm must be yes or no.")
	}
	if e != nil {
		p.renderError(w, http.StatusBadRequest, "Bad consent form", e.Description)
		return
	}
	s := p.currentSession(r)
	p.mu.Lock()
	pc, ok := p.st.consents.Get(id)
	if ok && s != nil && pc.sessionID == s.id {
		p.st.consents.Delete(id)
	} else {
		ok = false
	}
	p.mu.Unlock()
	if !ok {
		p.renderError(w, http.StatusBadRequest, "Unknown consent request",
			"This consent request is unknown, already answered or belongs to another sign-in; start again from the application.")
		return
	}
	if confirm == "yes" {
		p.rememberConsent(s.id, &pc.req)
		p.issueCode(w, r, s.username, &pc.req)
		return
	}
	if p.quirk(QuirkConsentDenyIgnored) {
		p.issueCode(w, r, s.username, &pc.req)
		return
	}
	p.log.Info("consent denied", "client_id", pc.req.client.ID, "username", s.username)
	p.redirectError(w, r, &pc.req, ErrAccessDenied.WithDescription("the user denied the request"))
}
