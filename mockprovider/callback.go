package mockprovider

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// issueCode stores a new authorization code and sends it to the client's
// redirection endpoint (RFC 6749 §4.1.2).
func (p *Provider) issueCode(w http.ResponseWriter, r *http.Request, username string, req *authorizeRequest) {
	c := &authCode{
		value: p.ids.String(codeLength), clientID: req.client.ID, username: username,
		scopes: slices.Clone(req.scopes), redirectURI: req.redirectURI, redirectGiven: req.redirectGiven,
		challenge: req.challenge, method: req.method, omitScope: req.omitScope, expiresAt: p.clock.Now().Add(p.cfg.codeLifetime),
		nonce: req.openID.nonce, authTime: req.authTime,
	}
	p.mu.Lock()
	p.st.codes[c.value] = c
	p.mu.Unlock()
	p.log.Info("code issued", "client_id", c.clientID, "username", username, "scope", scope.Join(c.scopes))
	params := [][2]string{{"code", c.value}}
	if st, ok := p.stateParam(req.state); ok {
		params = append(params, [2]string{"state", st})
	}
	params = p.appendIss(r, params)
	http.Redirect(w, r, appendParams(req.target(), params), http.StatusFound)
}

// redirectError sends an authorization error to the client (RFC 6749
// §4.1.2.1).
func (p *Provider) redirectError(w http.ResponseWriter, r *http.Request, req *authorizeRequest, e *Error) {
	params := [][2]string{{"error", e.Code}}
	if e.Description != "" {
		params = append(params, [2]string{"error_description", e.Description})
	}
	if st, ok := p.stateParam(req.state); ok {
		params = append(params, [2]string{"state", st})
	}
	params = p.appendIss(r, params)
	p.log.Info("authorization error redirected", "error", e.Code, "description", e.Description)
	http.Redirect(w, r, appendParams(req.target(), params), http.StatusFound)
}

// appendIss adds the iss parameter of RFC 9207 §2 to an authorization
// response, success or error, unless the iss-param-missing quirk is on.
func (p *Provider) appendIss(r *http.Request, params [][2]string) [][2]string {
	if p.quirk(QuirkIssParamMissing) {
		return params
	}
	return append(params, [2]string{"iss", p.baseURL(r)})
}

// stateParam is the state to send back, subject to the state quirks.
func (p *Provider) stateParam(state string) (string, bool) {
	switch {
	case state == "" || p.quirk(QuirkStateDropped):
		return "", false
	case p.quirk(QuirkStateAltered):
		return strings.ToUpper(state) + "x", true
	}
	return state, true
}

// appendParams adds query parameters to a redirect URI, keeping its own
// query component as it is (RFC 6749 §3.1.2) and any fragment after them.
func appendParams(uri string, params [][2]string) string {
	frag := ""
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri, frag = uri[:i], uri[i:]
	}
	var b strings.Builder
	b.WriteString(uri)
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
		if strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&") {
			sep = ""
		}
	}
	for _, kv := range params {
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
		sep = "&"
	}
	return b.String() + frag
}
