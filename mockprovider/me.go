package mockprovider

import (
	"errors"
	"net/http"
	"slices"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
)

// MeResponse is the body of GET /oauth/api/me, the seed's protected
// resource.
type MeResponse struct {
	Username string `json:"username"`
	Email    string `json:"email,omitempty"`
}

const realm = "mockprovider"

// handleMe serves the signed-in user to a bearer token (RFC 6750).
func (p *Provider) handleMe(w http.ResponseWriter, r *http.Request) {
	t, u, ok := p.bearer(w, r, "")
	if !ok {
		return
	}
	resp := MeResponse{Username: u.Username}
	if slices.Contains(t.scopes, "email") {
		resp.Email = u.Email
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleEmail is a resource that needs scope email, to show
// insufficient_scope (RFC 6750 §3.1).
func (p *Provider) handleEmail(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.bearer(w, r, "email")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Email string `json:"email"`
	}{u.Email})
}

// bearer authenticates a resource request by its bearer token (RFC 6750
// §2.1) and, when need is not empty, checks that the token carries that
// scope. It writes the RFC 6750 §3 error itself and reports ok=false.
func (p *Provider) bearer(w http.ResponseWriter, r *http.Request, need string) (*token, *User, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return nil, nil, false
	}
	value, err := bearer.FromHeader(r.Header)
	if err != nil {
		var be *bearer.Error
		errors.As(err, &be)
		status := http.StatusUnauthorized
		if be.Code == bearer.CodeInvalidRequest {
			status = http.StatusBadRequest
		}
		p.bearerError(w, &Error{Code: be.Code, Description: be.Description, Status: status}, "")
		return nil, nil, false
	}
	t, u, e := p.checkAccessToken(value, need)
	if e != nil {
		p.bearerError(w, e, need)
		return nil, nil, false
	}
	return t, u, true
}

// checkAccessToken finds an access token and its user and checks that
// the token is live and carries scope need (when not empty).
func (p *Provider) checkAccessToken(value, need string) (*token, *User, *Error) {
	qs := p.quirkSet()
	now := p.clock.Now()
	p.mu.Lock()
	t, known := p.st.tokens.Get(value)
	var cp token
	var u *User
	if known {
		cp, u = *t, p.st.users[t.username]
	}
	p.mu.Unlock()
	switch {
	case !known || cp.kind != accessToken:
		return nil, nil, ErrInvalidToken.WithDescription("the access token is unknown")
	case cp.revoked && !qs.has(QuirkMeAcceptsRevoked):
		return nil, nil, ErrInvalidToken.WithDescription("the access token was revoked")
	case !now.Before(cp.expiresAt) && !qs.has(QuirkMeAcceptsExpired):
		return nil, nil, ErrInvalidToken.WithDescription("the access token expired")
	case u == nil:
		return nil, nil, ErrInvalidToken.WithDescription("the access token was issued to a client for itself and has no user")
	case need != "" && !slices.Contains(cp.scopes, need):
		return nil, nil, ErrInsufficientScope.WithDescription("this resource needs scope %s", need)
	}
	return &cp, u, nil
}

// bearerError answers a resource request with an RFC 6750 §3 error: the
// WWW-Authenticate challenge (without error code when the request had no
// credentials, §3.1) and the error as JSON.
func (p *Provider) bearerError(w http.ResponseWriter, e *Error, scope string) {
	if !p.quirk(QuirkMeNoWWWAuthenticate) || e.Status != http.StatusUnauthorized {
		c := bearer.Challenge{Realm: realm, Error: e.Code, Description: e.Description}
		if e.Code == ErrInsufficientScope.Code {
			c.Scope = scope
		}
		w.Header().Set("WWW-Authenticate", c.String())
	}
	writeJSONError(w, e)
}
