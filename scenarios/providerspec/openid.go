package providerspec

import (
	"encoding/json"
	"slices"
	"strings"
)

// validateOpenID checks the OpenID Connect fields: userinfo_url, the
// clients' post_logout_redirect_uri, the user's expected claims, and
// that a declared openid capability has an issuer to discover the
// provider at (OpenID Connect Discovery 1.0 §4).
func (s *Spec) validateOpenID() error {
	if s.UserinfoURL != "" {
		if err := checkURL(s.UserinfoURL); err != nil {
			return fieldErr("userinfo_url", "%v", err)
		}
	}
	if s.Has(OpenID) && s.Issuer == "" {
		return fieldErr("capabilities", "openid needs issuer: jwks_uri and the id_token's issuer come from issuer + /.well-known/openid-configuration")
	}
	for _, role := range sortedKeys(s.Clients) {
		c := s.Clients[role]
		if c == nil || c.PostLogoutRedirectURI == "" {
			continue
		}
		field := "clients." + role + ".post_logout_redirect_uri"
		if err := checkURL(c.PostLogoutRedirectURI); err != nil {
			return fieldErr(field, "%v", err)
		}
		if strings.Contains(c.PostLogoutRedirectURI, "#") {
			return fieldErr(field, "must not have a fragment (RP-Initiated Logout §3)")
		}
	}
	return validateClaims(s.User.Claims)
}

// validateClaims checks the expected claim values: names without
// spaces, and values that are JSON (a string, number, boolean, array or
// object with string keys), as claims are (OpenID Connect Core 1.0 §5.1).
func validateClaims(claims map[string]any) error {
	for _, name := range sortedKeys(claims) {
		field := "user.claims." + name
		if strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t\r\n") {
			return fieldErr("user.claims", "%q is not a claim name (no spaces)", name)
		}
		v := claims[name]
		if v == nil {
			return fieldErr(field, "needs a value (a claim the provider releases)")
		}
		if _, err := json.Marshal(v); err != nil {
			return fieldErr(field, "is not a JSON value (objects need string keys): %v", err)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
