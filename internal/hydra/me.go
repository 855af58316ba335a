package hydra

import (
	"errors"
	"fmt"
	"net/http"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
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
	if scope.Has(in.Scope, "email") {
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
	if !scope.Has(in.Scope, "email") {
		w.Header().Set("WWW-Authenticate", bearer.Challenge{Realm: realm, Error: bearer.CodeInsufficientScope, Scope: "email"}.String())
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
	token, err := bearer.FromHeader(r.Header)
	var berr *bearer.Error
	switch {
	case errors.As(err, &berr) && berr.Code == "":
		challenge(w, http.StatusUnauthorized, "", "")
		return nil, false
	case errors.As(err, &berr):
		challenge(w, http.StatusBadRequest, berr.Code, berr.Description)
		return nil, false
	case err != nil:
		challenge(w, http.StatusBadRequest, bearer.CodeInvalidRequest, err.Error())
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

// challenge answers with a WWW-Authenticate: Bearer challenge (RFC 6750 §3);
// without code when the request had no token at all (§3.1).
func challenge(w http.ResponseWriter, status int, code, description string) {
	v := bearer.Challenge{Realm: realm, Error: code, Description: description}.String()
	if code == "" {
		w.Header().Set("WWW-Authenticate", v)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		fmt.Fprintln(w, "A bearer token is required (Authorization: Bearer <token>).")
		return
	}
	body := map[string]string{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	w.Header().Set("WWW-Authenticate", v)
	writeJSON(w, status, body)
}

// writeJSON answers with v as JSON, never cached (RFC 6750 §3 error
// bodies and the resource's answers carry user data).
func writeJSON(w http.ResponseWriter, status int, v any) {
	_ = httpjson.Write(w, status, v, httpjson.NoStore())
}
