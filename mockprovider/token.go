package mockprovider

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// TokenResponse is a successful token response (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	// IDToken is the OpenID Connect id_token (OIDC Core §3.1.3.3), for
	// requests whose scope has openid.
	IDToken string `json:"id_token,omitempty"`
}

// handleToken is the token endpoint (RFC 6749 §3.2): it reads the form,
// authenticates the client and dispatches on grant_type.
func (p *Provider) handleToken(w http.ResponseWriter, r *http.Request) {
	qs := p.quirkSet()
	form, e := p.tokenForm(w, r, qs)
	if e != nil {
		p.tokenError(w, qs, e)
		return
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
		resp, e = p.exchangeCode(form, client, qs, p.baseURL(r))
	case "refresh_token":
		resp, e = p.refresh(form, client, qs, p.baseURL(r))
	case "client_credentials":
		resp, e = p.clientCredentials(form, client, p.baseURL(r))
	default:
		e = ErrUnsupportedGrantType.WithDescription("grant_type %q is not supported", grant)
	}
	if e == nil {
		e = p.addIDToken(resp, qs)
	}
	if e != nil {
		p.tokenError(w, qs, e)
		return
	}
	if qs.has(QuirkTokenCacheable) {
		w = cacheableWriter{w}
	}
	writeJSON(w, http.StatusOK, resp)
}

// tokenForm reads a token request's parameters: a POSTed form (RFC 6749
// §3.2), each parameter once, short, printable UTF-8.
func (p *Provider) tokenForm(w http.ResponseWriter, r *http.Request, qs quirkSet) (url.Values, *Error) {
	var form url.Values
	switch {
	case r.Method == http.MethodPost:
		var e *Error
		if form, e = parseForm(w, r); e != nil {
			return nil, e
		}
	case r.Method == http.MethodGet && qs.has(QuirkTokenGetAccepted):
		form = r.URL.Query()
	default:
		w.Header().Set("Allow", "POST")
		return nil, ErrInvalidRequest.WithStatus(http.StatusMethodNotAllowed).
			WithDescription("the token endpoint takes POST only (RFC 6749 §3.2)")
	}
	// Parameters in name order, so that the error named is always the same.
	names := slices.Sorted(maps.Keys(form))
	for _, name := range names {
		if vs := form[name]; len(vs) > 1 && !qs.has(QuirkRepeatedParametersAccepted) {
			return nil, ErrInvalidRequest.WithDescription("parameter %q is repeated; RFC 6749 §3.2 allows it once", name)
		}
	}
	for _, name := range names {
		if _, e := param(form, name, true); e != nil {
			return nil, e
		}
	}
	return form, nil
}

func (p *Provider) quirkSet() quirkSet {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Quirk]bool, len(p.quirks))
	for q, on := range p.quirks {
		out[q] = on
	}
	return quirkSet{on: out, p: p}
}

// tokenError writes a token error response (RFC 6749 §5.2).
func (p *Provider) tokenError(w http.ResponseWriter, qs quirkSet, e *Error) {
	p.log.Info("token request refused", "error", e.Code, "description", e.Description)
	if e.Code == ErrInvalidClient.Code {
		if qs.has(QuirkInvalidClientNo401) {
			e = e.WithStatus(http.StatusBadRequest)
		} else {
			w.Header().Set("WWW-Authenticate", `Basic realm="mockprovider", charset="UTF-8"`)
		}
	}
	if qs.has(QuirkTokenError200) {
		e = e.WithStatus(http.StatusOK)
	}
	if qs.has(QuirkTokenCacheable) {
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

func (p *Provider) tokenResponse(at, rt *token, form url.Values, granted []string, omitScope bool, qs quirkSet) *TokenResponse {
	resp := &TokenResponse{
		AccessToken: at.value,
		TokenType:   "Bearer",
		ExpiresIn:   int64(at.expiresAt.Sub(at.issuedAt).Seconds()),
		Scope:       scope.Join(granted),
	}
	if rt != nil {
		resp.RefreshToken = rt.value
	}
	if omitScope || qs.has(QuirkScopeOmittedInResponse) {
		resp.Scope = ""
	}
	p.log.Info("tokens issued", "client_id", at.clientID, "grant_type", form.Get("grant_type"), "scope", resp.Scope)
	return resp
}

// grant is what tokens are issued for: the client, the user (empty for
// client_credentials), the scopes, and what an id_token needs.
type grant struct {
	issuer, clientID, username string
	scopes                     []string
	authTime                   time.Time
	nonce                      string
	refreshed                  bool
}

// newTokensLocked creates an access token (opaque, or an RFC 9068 JWT for
// clients that ask for one) and, when refresh is true, a refresh token.
// p.mu must be held.
func (p *Provider) newTokensLocked(g grant, refresh bool, qs quirkSet) (*token, *token, *Error) {
	now := p.clock.Now()
	at := &token{
		kind: accessToken, clientID: g.clientID, username: g.username, scopes: slices.Clone(g.scopes),
		issuedAt: now, expiresAt: now.Add(p.cfg.tokenLifetime),
		issuer: g.issuer, authTime: g.authTime, nonce: g.nonce, refreshed: g.refreshed,
	}
	var err error
	if at.value, err = p.accessTokenValueLocked(at, qs); err != nil {
		p.log.Error("access token", "err", err)
		return nil, nil, ErrServerError.WithDescription("the access token could not be signed")
	}
	p.st.tokens.Put(at.value, at)
	p.st.added++
	if p.st.added >= sweepEvery {
		p.st.dropExpired(now)
	}
	if !refresh {
		return at, nil, nil
	}
	rt := &token{
		value: p.ids.String(tokenLength), kind: refreshToken, clientID: g.clientID, username: g.username,
		scopes: slices.Clone(g.scopes), issuedAt: now, expiresAt: now.Add(p.cfg.refreshLifetime), pair: at.value,
		issuer: g.issuer, authTime: g.authTime,
	}
	at.pair = rt.value
	p.st.tokens.Put(rt.value, rt)
	return at, rt, nil
}
