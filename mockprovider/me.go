package mockprovider

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
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

// bearer authenticates a resource request by its bearer token and, when
// scope is not empty, checks that the token carries it. It writes the
// RFC 6750 §3 error itself and reports ok=false.
func (p *Provider) bearer(w http.ResponseWriter, r *http.Request, scope string) (*token, *User, bool) {
	qs := p.quirkSet()
	fail := func(e *Error, extra string) (*token, *User, bool) {
		if !qs.has(QuirkMeNoWWWAuthenticate) || e.Status != http.StatusUnauthorized {
			challenge := fmt.Sprintf("Bearer realm=%q", realm)
			if e.Code != "" {
				challenge += fmt.Sprintf(", error=%q", e.Code)
				if e.Description != "" {
					challenge += fmt.Sprintf(", error_description=%q", e.Description)
				}
			}
			w.Header().Set("WWW-Authenticate", challenge+extra)
		}
		writeJSON(w, e.Status, errorJSON{Error: e.Code, ErrorDescription: e.Description})
		return nil, nil, false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return nil, nil, false
	}
	headers := r.Header.Values("Authorization")
	if len(headers) > 1 {
		return fail(ErrInvalidRequest.WithDescription("more than one Authorization header"), "")
	}
	if len(headers) == 0 {
		// No error code when the request has no credentials (RFC 6750 §3.1).
		return fail(&Error{Status: http.StatusUnauthorized, Description: "the request has no bearer token; send Authorization: Bearer <token>"}, "")
	}
	scheme, value, _ := strings.Cut(headers[0], " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return fail(&Error{Status: http.StatusUnauthorized, Description: "the Authorization header is not Bearer"}, "")
	}
	value = strings.TrimLeft(value, " ")
	if !validB64Token(value) {
		return fail(ErrInvalidRequest.WithDescription("the bearer token is malformed (RFC 6750 §2.1)"), "")
	}
	now := p.clock.Now()
	p.mu.Lock()
	t, known := p.st.tokens[value]
	var cp token
	if known {
		cp = *t
	}
	var u *User
	if known {
		u = p.st.users[cp.username]
	}
	p.mu.Unlock()
	switch {
	case !known || cp.kind != accessToken:
		return fail(ErrInvalidToken.WithDescription("the access token is unknown"), "")
	case cp.revoked && !qs.has(QuirkMeAcceptsRevoked):
		return fail(ErrInvalidToken.WithDescription("the access token was revoked"), "")
	case !now.Before(cp.expiresAt) && !qs.has(QuirkMeAcceptsExpired):
		return fail(ErrInvalidToken.WithDescription("the access token expired"), "")
	case u == nil:
		return fail(ErrInvalidToken.WithDescription("the access token was issued to a client for itself and has no user"), "")
	case scope != "" && !slices.Contains(cp.scopes, scope):
		return fail(ErrInsufficientScope.WithDescription("this resource needs scope %s", scope), fmt.Sprintf(", scope=%q", scope))
	}
	return &cp, u, true
}

// validB64Token reports whether s matches b64token of RFC 6750 §2.1.
func validB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" || len(s) > maxParamLength {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}
