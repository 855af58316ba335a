package mockprovider

import (
	"net/url"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// refresh redeems a refresh token and rotates it (RFC 6749 §6).
func (p *Provider) refresh(form url.Values, client *Client, qs quirkSet, issuer string) (*TokenResponse, *Error) {
	value := form.Get("refresh_token")
	if value == "" {
		return nil, ErrInvalidRequest.WithDescription("refresh_token is missing")
	}
	requested, err := scope.Parse(form.Get("scope"))
	if err != nil {
		return nil, ErrInvalidScope.WithDescription("%v", err)
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.st.tokens.Get(value)
	switch {
	case !ok || t.kind != refreshToken:
		return nil, ErrInvalidGrant.WithDescription("the refresh token is unknown")
	case t.revoked:
		return nil, p.refreshReplayed(t, qs)
	case !now.Before(t.expiresAt):
		return nil, ErrInvalidGrant.WithDescription("the refresh token expired")
	case t.clientID != client.ID && !qs.has(QuirkRefreshNotClientBound):
		return nil, ErrInvalidGrant.WithDescription("the refresh token was issued to another client")
	}
	scopes := t.scopes
	if len(requested) > 0 {
		if !scope.Subset(requested, t.scopes) {
			return nil, ErrInvalidScope.WithDescription("a refresh may only narrow the scope (granted: %s)", scope.Join(t.scopes))
		}
		scopes = requested
	}
	t.revoked = true
	// The id_token of a refresh keeps the original authentication's
	// auth_time and has no nonce (OIDC Core §12.2).
	at, rt, e := p.newTokensLocked(grant{issuer: issuer, clientID: t.clientID, username: t.username, scopes: scopes,
		authTime: t.authTime, refreshed: true}, true, qs)
	if e != nil {
		return nil, e
	}
	at.family, rt.family = t.family, t.family
	// Tokens refreshed from a code's tokens are revoked with them if the
	// code is reused (RFC 6749 §4.1.2).
	if c, ok := p.st.codes.Get(t.code); ok {
		at.code, rt.code = c.value, c.value
		c.issued = append(c.issued, at.value, rt.value)
	}
	return p.tokenResponse(at, rt, form, scopes, false, qs), nil
}

// refreshReplayed answers a refresh token that was already used or
// revoked. Either an attacker or the client holds a stale copy, and the
// provider cannot tell which: it revokes every token of the grant (RFC
// 9700 §4.14.2), unless the refresh-replay-not-revoked quirk is on.
// p.mu must be held.
func (p *Provider) refreshReplayed(t *token, qs quirkSet) *Error {
	if qs.has(QuirkRefreshReplayNotRevoked) || t.family == "" {
		return ErrInvalidGrant.WithDescription("the refresh token was revoked or already used")
	}
	n := p.st.revokeFamily(t.family)
	p.log.Warn("refresh token replayed; every token of its grant is revoked", "client_id", t.clientID, "revoked", n)
	return ErrInvalidGrant.WithDescription("the refresh token was revoked or already used; every token of its grant is now revoked (RFC 9700 §4.14.2)")
}
