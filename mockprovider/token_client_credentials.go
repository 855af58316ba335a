package mockprovider

import (
	"net/url"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// clientCredentials issues a token to a confidential client for itself
// (RFC 6749 §4.4).
func (p *Provider) clientCredentials(form url.Values, client *Client, issuer string) (*TokenResponse, *Error) {
	if client.Public {
		return nil, ErrUnauthorizedClient.WithDescription("public clients cannot use client_credentials")
	}
	scopes, err := scope.Parse(form.Get("scope"))
	if err != nil {
		return nil, ErrInvalidScope.WithDescription("%v", err)
	}
	if len(scopes) == 0 {
		scopes = client.defaultScopes()
	}
	if !scope.Subset(scopes, client.Scopes) {
		return nil, ErrInvalidScope.WithDescription("scope is not registered for this client (registered: %s)", scope.Join(client.Scopes))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	at, _, e := p.newTokensLocked(grant{issuer: issuer, clientID: client.ID, scopes: scopes}, false, quirkSet{})
	if e != nil {
		return nil, e
	}
	return p.tokenResponse(at, nil, form, scopes, false, quirkSet{}), nil
}
