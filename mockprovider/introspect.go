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

// handleIntrospect is the introspection endpoint (RFC 7662). Only an
// authenticated confidential client may ask (§2.1), and it learns only
// about the tokens issued to it, unless it is a resource server
// ([Client.ResourceServer]): any other token is answered inactive (§4),
// so that one client cannot probe another's tokens.
func (p *Provider) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	value, client, ok := p.tokenParam(w, r)
	if !ok {
		return
	}
	if client.Public {
		p.tokenError(w, quirkSet{}, ErrInvalidClient.WithDescription(
			"public clients cannot introspect: the endpoint needs client authentication (RFC 7662 §2.1)"))
		return
	}
	t := p.lookupToken(value)
	resp := IntrospectionResponse{}
	if t != nil && t.activeAt(p.clock.Now()) && (t.clientID == client.ID || client.ResourceServer) {
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
