package mockprovider

import (
	"errors"
	"net/http"
	"slices"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
)

// handleUserinfo is the UserInfo endpoint (OIDC Core §5.3): GET or POST
// with a bearer token (RFC 6750 §2.1, or §2.2 in a POST body) that was
// granted scope openid; it answers the claims the token's scopes release
// (§5.4) and the custom claims, with the id_token's sub (§5.3.2).
func (p *Provider) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	qs := p.quirkSet()
	switch {
	case r.Method == http.MethodPost && qs.has(QuirkUserinfoPostRefused):
		methodNotAllowed(w, "GET")
		return
	case r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost:
		methodNotAllowed(w, "GET, POST")
		return
	}
	value, e := userinfoToken(w, r)
	if e != nil {
		p.bearerError(w, e, "")
		return
	}
	t, u, e := p.checkAccessToken(value, "openid")
	if e != nil {
		p.bearerError(w, e, "openid")
		return
	}
	claims := userClaims(u, p.client(t.clientID), t.scopes)
	if qs.has(QuirkUserinfoSubMismatch) {
		claims["sub"] = u.Username
		if u.Username == u.subject() {
			claims["sub"] = u.Username + "@userinfo"
		}
	}
	writeJSON(w, http.StatusOK, claims)
}

// userinfoToken reads the access token from the Authorization header or,
// for a form POST, the access_token body parameter (RFC 6750 §2.1, §2.2);
// a request that uses both is refused (§2).
func userinfoToken(w http.ResponseWriter, r *http.Request) (string, *Error) {
	fromHeader, err := bearer.FromHeader(r.Header)
	if err != nil && !errors.Is(err, bearer.ErrNoToken) {
		return "", bearerRequestError(err)
	}
	var fromBody []string
	if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "" {
		form, e := parseForm(w, r)
		if e != nil {
			return "", e
		}
		fromBody = form["access_token"]
	}
	switch {
	case len(fromBody) > 1:
		return "", ErrInvalidRequest.WithDescription("access_token is repeated in the body")
	case len(fromBody) == 1 && fromHeader != "":
		return "", ErrInvalidRequest.WithDescription("the access token was sent in the header and in the body; RFC 6750 §2 allows one method")
	case len(fromBody) == 1:
		if !bearer.ValidToken(fromBody[0]) {
			return "", ErrInvalidRequest.WithDescription("the access_token in the body is malformed (RFC 6750 §2.1)")
		}
		return fromBody[0], nil
	case fromHeader != "":
		return fromHeader, nil
	}
	return "", bearerRequestError(err)
}

// bearerRequestError maps an internal/bearer parse error to the RFC 6750
// §3.1 answer: no code and 401 without credentials, 400 invalid_request
// for malformed ones.
func bearerRequestError(err error) *Error {
	var be *bearer.Error
	if !errors.As(err, &be) {
		return ErrInvalidRequest.WithDescription("%v", err)
	}
	if be.Code == bearer.CodeInvalidRequest {
		return ErrInvalidRequest.WithDescription("%s", be.Description)
	}
	return &Error{Code: be.Code, Description: be.Description, Status: http.StatusUnauthorized}
}

// grantedOpenID reports whether a scope list makes a request an OpenID
// Connect one (OIDC Core §3.1.2.1).
func grantedOpenID(scopes []string) bool { return slices.Contains(scopes, "openid") }
