package mockprovider

import (
	"net/http"
)

// handleRevoke is the revocation endpoint (RFC 7009).
func (p *Provider) handleRevoke(w http.ResponseWriter, r *http.Request) {
	value, client, ok := p.tokenParam(w, r)
	if !ok {
		return
	}
	p.mu.Lock()
	t, known := p.st.tokens.Get(value)
	if known && t.clientID != client.ID {
		p.mu.Unlock()
		p.tokenError(w, quirkSet{}, ErrUnauthorizedClient.WithDescription("the token was issued to another client (RFC 7009 §2.1)"))
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
