package mockprovider

import (
	"crypto/subtle"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// TokenResponse is a successful token response (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// handleToken is the token endpoint (RFC 6749 §3.2).
func (p *Provider) handleToken(w http.ResponseWriter, r *http.Request) {
	qs := p.quirkSet()
	var form url.Values
	switch {
	case r.Method == http.MethodPost:
		var e *Error
		if form, e = parseForm(w, r); e != nil {
			p.tokenError(w, qs, e)
			return
		}
	case r.Method == http.MethodGet && qs[QuirkTokenGetAccepted]:
		form = r.URL.Query()
	default:
		w.Header().Set("Allow", "POST")
		p.tokenError(w, qs, ErrInvalidRequest.WithStatus(http.StatusMethodNotAllowed).
			WithDescription("the token endpoint takes POST only (RFC 6749 §3.2)"))
		return
	}
	// Parameters in name order, so that the error named is always the same.
	names := slices.Sorted(maps.Keys(form))
	if !qs[QuirkRepeatedParametersAccepted] {
		for _, name := range names {
			if vs := form[name]; len(vs) > 1 {
				p.tokenError(w, qs, ErrInvalidRequest.WithDescription("parameter %q is repeated; RFC 6749 §3.2 allows it once", name))
				return
			}
		}
	}
	for _, name := range names {
		if _, e := param(form, name, true); e != nil {
			p.tokenError(w, qs, e)
			return
		}
	}
	client, e := p.authenticateClient(r, form, qs)
	if e != nil {
		p.tokenError(w, qs, e)
		return
	}
	var resp *TokenResponse
	switch grant := form.Get("grant_type"); grant {
	case "":
		e = ErrInvalidRequest.WithDescription("grant_type is missing")
	case "authorization_code":
		resp, e = p.exchangeCode(form, client, qs)
	case "refresh_token":
		resp, e = p.refresh(form, client, qs)
	case "client_credentials":
		resp, e = p.clientCredentials(form, client)
	default:
		e = ErrUnsupportedGrantType.WithDescription("grant_type %q is not supported", grant)
	}
	if e != nil {
		p.tokenError(w, qs, e)
		return
	}
	if qs[QuirkTokenCacheable] {
		w = cacheableWriter{w}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (p *Provider) quirkSet() map[Quirk]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Quirk]bool, len(p.quirks))
	for q, on := range p.quirks {
		out[q] = on
	}
	return out
}

// tokenError writes a token error response (RFC 6749 §5.2).
func (p *Provider) tokenError(w http.ResponseWriter, qs map[Quirk]bool, e *Error) {
	p.log.Info("token request refused", "error", e.Code, "description", e.Description)
	if e.Code == ErrInvalidClient.Code {
		if qs[QuirkInvalidClientNo401] {
			e = e.WithStatus(http.StatusBadRequest)
		} else {
			w.Header().Set("WWW-Authenticate", `Basic realm="mockprovider", charset="UTF-8"`)
		}
	}
	if qs[QuirkTokenError200] {
		e = e.WithStatus(http.StatusOK)
	}
	if qs[QuirkTokenCacheable] {
		w = cacheableWriter{w}
	}
	writeJSONError(w, e)
}

// cacheableWriter drops the no-store headers: the token-cacheable quirk.
type cacheableWriter struct{ http.ResponseWriter }

func (c cacheableWriter) WriteHeader(status int) {
	c.Header().Del("Cache-Control")
	c.Header().Del("Pragma")
	c.ResponseWriter.WriteHeader(status)
}

// authenticateClient authenticates the client by client_secret_basic,
// client_secret_post, or (for public clients) client_id alone (RFC 6749
// §2.3).
func (p *Provider) authenticateClient(r *http.Request, form url.Values, qs map[Quirk]bool) (*Client, *Error) {
	var id, secret, method string
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, _, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Basic") {
			return nil, ErrInvalidClient.WithDescription("the Authorization header uses %q; the token endpoint takes Basic client credentials", textcut.Cut(scheme, 20))
		}
		rawID, rawSecret, ok := r.BasicAuth()
		var err1, err2 error
		id, err1 = url.QueryUnescape(rawID)
		secret, err2 = url.QueryUnescape(rawSecret)
		if !ok || err1 != nil || err2 != nil {
			return nil, ErrInvalidClient.WithDescription("malformed Basic credentials (RFC 6749 §2.3.1)")
		}
		if form.Get("client_secret") != "" {
			return nil, ErrInvalidRequest.WithDescription("the client used more than one authentication method (RFC 6749 §2.3)")
		}
		if bodyID := form.Get("client_id"); bodyID != "" && bodyID != id {
			return nil, ErrInvalidRequest.WithDescription("client_id in the body differs from the Basic credentials")
		}
		method = AuthMethodBasic
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
		method = AuthMethodPost
		if secret == "" {
			method = "none"
		}
	}
	if id == "" {
		return nil, ErrInvalidClient.WithDescription("client authentication is missing")
	}
	c := p.client(id)
	switch {
	case c == nil:
		return nil, ErrInvalidClient.WithDescription("unknown client")
	case c.Public:
		if method != "none" {
			return nil, ErrInvalidClient.WithDescription("this public client has no secret")
		}
		return c, nil
	case method == "none":
		return nil, ErrInvalidClient.WithDescription("client authentication is missing")
	case c.AuthMethod != "" && c.AuthMethod != method:
		return nil, ErrInvalidClient.WithDescription("this client must authenticate with %s", c.AuthMethod)
	case subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 && !qs[QuirkClientSecretIgnored]:
		return nil, ErrInvalidClient.WithDescription("client authentication failed")
	}
	return c, nil
}

// exchangeCode redeems an authorization code (RFC 6749 §4.1.3).
func (p *Provider) exchangeCode(form url.Values, client *Client, qs map[Quirk]bool) (*TokenResponse, *Error) {
	value := form.Get("code")
	if value == "" {
		return nil, ErrInvalidRequest.WithDescription("code is missing")
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.st.codes[value]
	switch {
	case !ok:
		return nil, ErrInvalidGrant.WithDescription("the authorization code is unknown")
	case c.used && !qs[QuirkCodeReusable]:
		if !qs[QuirkCodeNoRevokeOnReuse] {
			p.st.revoke(c.issued...)
			p.log.Warn("authorization code reused; its tokens are revoked", "client_id", client.ID)
			return nil, ErrInvalidGrant.WithDescription("the authorization code was already used; the tokens issued for it are revoked")
		}
		return nil, ErrInvalidGrant.WithDescription("the authorization code was already used")
	case !now.Before(c.expiresAt) && !qs[QuirkCodeNeverExpires]:
		return nil, ErrInvalidGrant.WithDescription("the authorization code expired")
	case c.clientID != client.ID && !qs[QuirkCodeNotClientBound]:
		return nil, ErrInvalidGrant.WithDescription("the authorization code was issued to another client")
	}
	if ru := form.Get("redirect_uri"); (c.redirectGiven || ru != "") && ru != c.redirectURI && !qs[QuirkTokenIgnoreRedirectURI] {
		return nil, ErrInvalidGrant.WithDescription("redirect_uri does not match the one of the authorization request (RFC 6749 §4.1.3)")
	}
	if e := verifyPKCE(c, form.Get("code_verifier"), qs); e != nil {
		return nil, e
	}
	c.used = true
	at, rt := p.newTokensLocked(c.clientID, c.username, c.scopes, true)
	at.code, rt.code = c.value, c.value
	c.issued = []string{at.value, rt.value}
	return p.tokenResponse(at, rt, form, c.scopes, c.omitScope, qs), nil
}

// verifyPKCE checks code_verifier against the code's challenge (RFC 7636
// §4.6).
func verifyPKCE(c *authCode, verifier string, qs map[Quirk]bool) *Error {
	if c.challenge == "" {
		if verifier != "" {
			return ErrInvalidGrant.WithDescription("code_verifier sent, but the authorization request had no code_challenge (RFC 9700 §2.1.1)")
		}
		return nil
	}
	if qs[QuirkPKCEIgnored] {
		return nil
	}
	switch {
	case verifier == "":
		return ErrInvalidGrant.WithDescription("code_verifier is missing (RFC 7636 §4.5)")
	case !validVerifier(verifier):
		return ErrInvalidGrant.WithDescription("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)")
	case c.method == "plain" && verifier == c.challenge:
		return nil
	case c.method == "S256" && oauth2.S256ChallengeFromVerifier(verifier) == c.challenge:
		return nil
	case c.method == "S256" && verifier == c.challenge && qs[QuirkPKCEPlainDowngrade]:
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

// refresh redeems a refresh token and rotates it (RFC 6749 §6).
func (p *Provider) refresh(form url.Values, client *Client, qs map[Quirk]bool) (*TokenResponse, *Error) {
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
	t, ok := p.st.tokens[value]
	switch {
	case !ok || t.kind != refreshToken:
		return nil, ErrInvalidGrant.WithDescription("the refresh token is unknown")
	case t.revoked:
		return nil, ErrInvalidGrant.WithDescription("the refresh token was revoked or already used")
	case !now.Before(t.expiresAt):
		return nil, ErrInvalidGrant.WithDescription("the refresh token expired")
	case t.clientID != client.ID && !qs[QuirkRefreshNotClientBound]:
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
	at, rt := p.newTokensLocked(t.clientID, t.username, scopes, true)
	// Tokens refreshed from a code's tokens are revoked with them if the
	// code is reused (RFC 6749 §4.1.2).
	if c, ok := p.st.codes[t.code]; ok {
		at.code, rt.code = c.value, c.value
		c.issued = append(c.issued, at.value, rt.value)
	}
	return p.tokenResponse(at, rt, form, scopes, false, qs), nil
}

// clientCredentials issues a token to a confidential client for itself
// (RFC 6749 §4.4).
func (p *Provider) clientCredentials(form url.Values, client *Client) (*TokenResponse, *Error) {
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
	at, _ := p.newTokensLocked(client.ID, "", scopes, false)
	return p.tokenResponse(at, nil, form, scopes, false, nil), nil
}

func (p *Provider) tokenResponse(at, rt *token, form url.Values, granted []string, omitScope bool, qs map[Quirk]bool) *TokenResponse {
	resp := &TokenResponse{
		AccessToken: at.value,
		TokenType:   "Bearer",
		ExpiresIn:   int64(at.expiresAt.Sub(at.issuedAt).Seconds()),
		Scope:       scope.Join(granted),
	}
	if rt != nil {
		resp.RefreshToken = rt.value
	}
	if omitScope || qs[QuirkScopeOmittedInResponse] {
		resp.Scope = ""
	}
	p.log.Info("tokens issued", "client_id", at.clientID, "grant_type", form.Get("grant_type"), "scope", resp.Scope)
	return resp
}

// newTokensLocked creates an access token and, when refresh is true, a
// refresh token. p.mu must be held.
func (p *Provider) newTokensLocked(clientID, username string, scopes []string, refresh bool) (*token, *token) {
	now := p.clock.Now()
	at := &token{
		value: p.ids.String(tokenLength), kind: accessToken, clientID: clientID, username: username,
		scopes: slices.Clone(scopes), issuedAt: now, expiresAt: now.Add(p.cfg.tokenLifetime),
	}
	p.st.tokens[at.value] = at
	if !refresh {
		return at, nil
	}
	rt := &token{
		value: p.ids.String(tokenLength), kind: refreshToken, clientID: clientID, username: username,
		scopes: slices.Clone(scopes), issuedAt: now, expiresAt: now.Add(p.cfg.refreshLifetime), pair: at.value,
	}
	at.pair = rt.value
	p.st.tokens[rt.value] = rt
	return at, rt
}
