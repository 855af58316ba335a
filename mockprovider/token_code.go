package mockprovider

import (
	"net/url"

	"golang.org/x/oauth2"
)

// exchangeCode redeems an authorization code (RFC 6749 §4.1.3).
func (p *Provider) exchangeCode(form url.Values, client *Client, qs quirkSet, issuer string) (*TokenResponse, *Error) {
	value := form.Get("code")
	if value == "" {
		return nil, ErrInvalidRequest.WithDescription("code is missing")
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.st.codes.Get(value)
	switch {
	case !ok:
		return nil, ErrInvalidGrant.WithDescription("the authorization code is unknown")
	case c.used && !qs.has(QuirkCodeReusable):
		if !qs.has(QuirkCodeNoRevokeOnReuse) {
			p.st.revoke(c.issued...)
			p.log.Warn("authorization code reused; its tokens are revoked", "client_id", client.ID)
			return nil, ErrInvalidGrant.WithDescription("the authorization code was already used; the tokens issued for it are revoked")
		}
		return nil, ErrInvalidGrant.WithDescription("the authorization code was already used")
	case !now.Before(c.expiresAt) && !qs.has(QuirkCodeNeverExpires):
		return nil, ErrInvalidGrant.WithDescription("the authorization code expired")
	case c.clientID != client.ID && !qs.has(QuirkCodeNotClientBound):
		return nil, ErrInvalidGrant.WithDescription("the authorization code was issued to another client")
	}
	if ru := form.Get("redirect_uri"); (c.redirectGiven || ru != "") && ru != c.redirectURI && !qs.has(QuirkTokenIgnoreRedirectURI) {
		return nil, ErrInvalidGrant.WithDescription("redirect_uri does not match the one of the authorization request (RFC 6749 §4.1.3)")
	}
	if e := verifyPKCE(c, form.Get("code_verifier"), qs); e != nil {
		return nil, e
	}
	c.used = true
	at, rt, e := p.newTokensLocked(grant{issuer: issuer, clientID: c.clientID, username: c.username, scopes: c.scopes,
		authTime: c.authTime, nonce: c.nonce}, true, qs)
	if e != nil {
		return nil, e
	}
	at.code, rt.code = c.value, c.value
	at.family, rt.family = c.value, c.value
	c.issued = []string{at.value, rt.value}
	return p.tokenResponse(at, rt, form, c.scopes, c.omitScope, qs), nil
}

// verifyPKCE checks code_verifier against the code's challenge (RFC 7636
// §4.6).
func verifyPKCE(c *authCode, verifier string, qs quirkSet) *Error {
	if c.challenge == "" {
		if verifier != "" {
			return ErrInvalidGrant.WithDescription("code_verifier sent, but the authorization request had no code_challenge (RFC 9700 §2.1.1)")
		}
		return nil
	}
	// pkce-ignored is consulted only when the verifier fails.
	if e := checkVerifier(c, verifier, qs); e != nil && !qs.has(QuirkPKCEIgnored) {
		return e
	}
	return nil
}

// checkVerifier is verifyPKCE without the pkce-ignored quirk.
func checkVerifier(c *authCode, verifier string, qs quirkSet) *Error {
	switch {
	case verifier == "":
		return ErrInvalidGrant.WithDescription("code_verifier is missing (RFC 7636 §4.5)")
	case !validVerifier(verifier):
		return ErrInvalidGrant.WithDescription("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)")
	case c.method == "plain" && verifier == c.challenge:
		return nil
	case c.method == "S256" && oauth2.S256ChallengeFromVerifier(verifier) == c.challenge:
		return nil
	case c.method == "S256" && verifier == c.challenge && qs.has(QuirkPKCEPlainDowngrade):
		return nil
	}
	return ErrInvalidGrant.WithDescription("code_verifier does not match the code_challenge (RFC 7636 §4.6)")
}

// validVerifier reports whether s is 43 to 128 unreserved characters, the
// syntax of code_verifier and code_challenge (RFC 7636 §4.1, §4.2).
func validVerifier(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}
