package mockprovider

import (
	"net/http"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

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
	value, _, ok := p.tokenParam(w, r)
	if !ok {
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
