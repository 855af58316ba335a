package hydra

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// realm is the realm of the protected resource's challenges.
const realm = "hydra"

// meResponse is the seed's /oauth/api/me answer.
type meResponse struct {
	Username string `json:"username"`
	Email    string `json:"email,omitempty"`
}

// handleMe serves GET /oauth/api/me, an RFC 6750 protected resource: the
// bearer token (Authorization header only, §2.1) is introspected at Hydra's
// admin API (RFC 7662) and the answer is the token owner's name, with the
// e-mail address when the token has scope email.
func (a *loginApp) handleMe(w http.ResponseWriter, r *http.Request) {
	in, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	me := meResponse{Username: in.Subject}
	if hasScope(in.Scope, "email") {
		me.Email = a.email(in)
	}
	writeJSON(w, http.StatusOK, me)
}

// handleEmail serves GET /oauth/api/email, a resource that needs scope
// email: a token without it gets 403 insufficient_scope (RFC 6750 §3.1).
func (a *loginApp) handleEmail(w http.ResponseWriter, r *http.Request) {
	in, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	if !hasScope(in.Scope, "email") {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Bearer realm=%q, error=%q, scope=%q", realm, "insufficient_scope", "email"))
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "insufficient_scope", "error_description": "this resource needs scope email"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"email": a.email(in)})
}

func (a *loginApp) email(in *introspection) string {
	if e, ok := in.Ext["email"].(string); ok {
		return e
	}
	if u, ok := a.users[in.Subject]; ok {
		return u.Email
	}
	return ""
}

// authenticate checks the request's bearer token by introspection and
// writes the RFC 6750 error itself when it fails.
func (a *loginApp) authenticate(w http.ResponseWriter, r *http.Request) (*introspection, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "use GET"})
		return nil, false
	}
	token, err := bearerToken(r.Header)
	switch {
	case errors.Is(err, errNoBearer):
		challenge(w, http.StatusUnauthorized, "", "")
		return nil, false
	case err != nil:
		challenge(w, http.StatusBadRequest, "invalid_request", err.Error())
		return nil, false
	}
	in, err := a.admin.introspect(r.Context(), token)
	if err != nil {
		a.logger.Warn("introspection failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"error": "temporarily_unavailable", "error_description": "the token cannot be checked: " + err.Error(),
		})
		return nil, false
	}
	if !in.Active || in.TokenUse != "access_token" {
		challenge(w, http.StatusUnauthorized, "invalid_token", "The access token is invalid, expired or revoked.")
		return nil, false
	}
	return in, true
}

// errNoBearer means the request carries no bearer token at all, which
// RFC 6750 §3.1 answers without an error code.
var errNoBearer = errors.New("hydra: no bearer token")

// bearerToken returns the token of an "Authorization: Bearer <token>" header
// (RFC 6750 §2.1; the scheme is case-insensitive). A request without one,
// or with another scheme, gives errNoBearer; a malformed one another error.
// Tokens in the query or the body are not looked at.
func bearerToken(h http.Header) (string, error) {
	values := h.Values("Authorization")
	if len(values) == 0 {
		return "", errNoBearer
	}
	if len(values) > 1 {
		return "", fmt.Errorf("more than one Authorization header")
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", errNoBearer
	}
	token = strings.TrimLeft(token, " ")
	if !isB64Token(token) {
		return "", fmt.Errorf("the bearer token is empty or not a b64token (RFC 6750 section 2.1)")
	}
	return token, nil
}

// isB64Token reports whether s is 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}

// challenge answers with a WWW-Authenticate: Bearer challenge (RFC 6750 §3);
// without code when the request had no token at all (§3.1).
func challenge(w http.ResponseWriter, status int, code, description string) {
	v := fmt.Sprintf("Bearer realm=%q", realm)
	if code == "" {
		w.Header().Set("WWW-Authenticate", v)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		fmt.Fprintln(w, "A bearer token is required (Authorization: Bearer <token>).")
		return
	}
	v += fmt.Sprintf(", error=%q", code)
	body := map[string]string{"error": code}
	if description != "" {
		v += fmt.Sprintf(", error_description=%q", description)
		body["error_description"] = description
	}
	w.Header().Set("WWW-Authenticate", v)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func hasScope(scope, want string) bool {
	for _, s := range strings.Fields(scope) {
		if s == want {
			return true
		}
	}
	return false
}
