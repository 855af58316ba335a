package mockprovider

import (
	"maps"
	"net/http"
	"net/url"
	"slices"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// handleRevoke is the revocation endpoint (RFC 7009).
func (p *Provider) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, client, ok := p.authenticatedPost(w, r)
	if !ok {
		return
	}
	value := form.Get("token")
	if value == "" {
		p.tokenError(w, nil, ErrInvalidRequest.WithDescription("token is missing"))
		return
	}
	p.mu.Lock()
	t, known := p.st.tokens[value]
	if known && t.clientID != client.ID {
		p.mu.Unlock()
		p.tokenError(w, nil, ErrUnauthorizedClient.WithDescription("the token was issued to another client (RFC 7009 §2.1)"))
		return
	}
	if known {
		p.st.revoke(value)
	}
	p.mu.Unlock()
	// An unknown token is not an error (RFC 7009 §2.2).
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// IntrospectionResponse is the body of an introspection answer (RFC 7662
// §2.2).
type IntrospectionResponse struct {
	Active    bool   `json:"active"`
	Scope     string `json:"scope,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	Username  string `json:"username,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	Exp       int64  `json:"exp,omitempty"`
	Iat       int64  `json:"iat,omitempty"`
	Sub       string `json:"sub,omitempty"`
}

// handleIntrospect is the introspection endpoint (RFC 7662); any
// confidential client may introspect.
func (p *Provider) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	form, _, ok := p.authenticatedPost(w, r)
	if !ok {
		return
	}
	value := form.Get("token")
	if value == "" {
		p.tokenError(w, nil, ErrInvalidRequest.WithDescription("token is missing"))
		return
	}
	t := p.lookupToken(value)
	resp := IntrospectionResponse{}
	if t != nil && t.activeAt(p.clock.Now()) {
		resp = IntrospectionResponse{
			Active: true, Scope: scope.Join(t.scopes), ClientID: t.clientID, Username: t.username,
			TokenType: "Bearer", Exp: t.expiresAt.Unix(), Iat: t.issuedAt.Unix(), Sub: t.username,
		}
		if t.kind == refreshToken {
			resp.TokenType = "refresh_token"
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// authenticatedPost parses a POST form and authenticates its client, as
// the revocation and introspection endpoints need.
func (p *Provider) authenticatedPost(w http.ResponseWriter, r *http.Request) (url.Values, *Client, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		p.tokenError(w, nil, ErrInvalidRequest.WithStatus(http.StatusMethodNotAllowed).WithDescription("use POST"))
		return nil, nil, false
	}
	form, e := parseForm(w, r)
	if e == nil {
		for _, name := range slices.Sorted(maps.Keys(form)) {
			if _, e = param(form, name, false); e != nil {
				break
			}
		}
	}
	if e != nil {
		p.tokenError(w, nil, e)
		return nil, nil, false
	}
	client, e := p.authenticateClient(r, form, p.quirkSet())
	if e != nil {
		p.tokenError(w, nil, e)
		return nil, nil, false
	}
	return form, client, true
}
