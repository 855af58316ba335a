package mockprovider

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// scopeClaims are the standard claims each OpenID scope releases (OIDC
// Core §5.4).
var scopeClaims = map[string][]string{
	"profile": {"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile",
		"picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"},
	"email":   {"email", "email_verified"},
	"address": {"address"},
	"phone":   {"phone_number", "phone_number_verified"},
}

// OpenIDScopes are the scopes with a meaning in OpenID Connect (OIDC Core
// §3.1.2.1, §5.4).
var OpenIDScopes = []string{"openid", "profile", "email", "address", "phone"}

// registeredClaims are set by the provider itself and cannot be given in
// fixtures (OIDC Core §2, RFC 7519 §4.1, RFC 9068 §2.2).
var registeredClaims = map[string]bool{
	"iss": true, "sub": true, "aud": true, "exp": true, "nbf": true, "iat": true, "jti": true,
	"auth_time": true, "nonce": true, "acr": true, "amr": true, "azp": true, "at_hash": true,
	"c_hash": true, "sid": true, "client_id": true, "scope": true, "cnf": true,
}

// standardClaim reports whether name is a standard claim of OIDC Core §5.1.
func standardClaim(name string) bool {
	for _, names := range scopeClaims {
		if slices.Contains(names, name) {
			return true
		}
	}
	return false
}

// DefaultSubject is the sub of a user whose fixture names none: a fixed
// opaque value derived from the username, the same for every seed and
// every run (OIDC Core §2: locally unique, never reassigned).
func DefaultSubject(username string) string {
	sum := sha256.Sum256([]byte("mockprovider sub v1 " + username))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// subject is the user's sub claim.
func (u *User) subject() string {
	if u.Subject != "" {
		return u.Subject
	}
	return DefaultSubject(u.Username)
}

// userFieldError is a bad OpenID field of a user fixture: the field's
// path below the user ("sub", "claims.groups") and why.
type userFieldError struct {
	field, reason string
}

func (e *userFieldError) Error() string { return e.reason }

// validateOIDC checks the OpenID parts of a user: sub and claims.
func (u *User) validateOIDC() *userFieldError {
	if u.Subject != "" && !validASCII(u.Subject, 255) {
		return &userFieldError{"sub", fmt.Sprintf("user %q: sub must be 1 to 255 printable ASCII characters (OIDC Core §2)", u.Username)}
	}
	if _, ok := u.Claims["email"]; ok {
		return &userFieldError{"claims.email", fmt.Sprintf("user %q: claims.email: give the address as the user's email field", u.Username)}
	}
	for _, name := range slices.Sorted(maps.Keys(u.Claims)) {
		if err := validateClaims(map[string]any{name: u.Claims[name]}, true); err != nil {
			return &userFieldError{"claims." + name, fmt.Sprintf("user %q: %v", u.Username, err)}
		}
	}
	return nil
}

// validateClaims checks custom claims: names that are not registered (or,
// unless standard is true, standard) claims, and values JSON can carry.
func validateClaims(claims map[string]any, standard bool) error {
	for _, name := range slices.Sorted(maps.Keys(claims)) {
		switch {
		case !validText(name, 200) || strings.ContainsAny(name, " \t"):
			return fmt.Errorf("claims: name %q must be 1 to 200 printable characters without spaces", name)
		case registeredClaims[name]:
			return fmt.Errorf("claims.%s: %s is set by the provider and cannot be given", name, name)
		case !standard && standardClaim(name):
			return fmt.Errorf("claims.%s: a standard claim (OIDC Core §5.1) belongs to the user, not the client", name)
		}
		if _, err := json.Marshal(claims[name]); err != nil {
			return fmt.Errorf("claims.%s: the value cannot be a JSON claim (mappings need string keys, numbers must be finite): %v", name, err)
		}
	}
	return nil
}

// validASCII reports whether s is 1..max printable ASCII characters.
func validASCII(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// userClaims are the claims about u released to client c for the granted
// scopes: sub, the standard claims the scopes allow (OIDC Core §5.4), the
// client's custom claims and the user's custom claims, which win.
func userClaims(u *User, c *Client, scopes []string) map[string]any {
	out := map[string]any{}
	if c != nil {
		maps.Copy(out, c.Claims)
	}
	for name, v := range u.Claims {
		if !standardClaim(name) {
			out[name] = v
		}
	}
	for _, s := range scopes {
		for _, name := range scopeClaims[s] {
			if v, ok := u.Claims[name]; ok {
				out[name] = v
			}
		}
	}
	if slices.Contains(scopes, "profile") {
		if _, ok := out["preferred_username"]; !ok {
			out["preferred_username"] = u.Username
		}
	}
	if slices.Contains(scopes, "email") && u.Email != "" {
		out["email"] = u.Email
	}
	out["sub"] = u.subject()
	return out
}

// claimNames lists the claims the provider can release, for
// claims_supported (OpenID Connect Discovery 1.0 §3).
func claimNames(users []User, clients []Client) []string {
	names := []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash"}
	for _, s := range OpenIDScopes {
		names = append(names, scopeClaims[s]...)
	}
	add := func(m map[string]any) {
		for _, n := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	for _, u := range users {
		add(u.Claims)
	}
	for _, c := range clients {
		add(c.Claims)
	}
	return names
}

// validateOIDC checks the OpenID parts of a client registration.
func (c *Client) validateOIDC() error {
	for i, u := range c.PostLogoutRedirectURIs {
		if err := ValidateRedirectURI(u); err != nil {
			return fmt.Errorf("client %s: post_logout_redirect_uris[%d]: %v", c.label(), i, err)
		}
	}
	if c.IDTokenSignedResponseAlg != "" && !slices.Contains(SigningAlgs(), c.IDTokenSignedResponseAlg) {
		return fmt.Errorf("client %s: id_token_signed_response_alg %q is not one of %s", c.label(), c.IDTokenSignedResponseAlg, strings.Join(SigningAlgs(), ", "))
	}
	switch c.AccessTokenFormat {
	case "", AccessTokenOpaque, AccessTokenJWT:
	default:
		return fmt.Errorf("client %s: access_token_format %q is not %s or %s", c.label(), c.AccessTokenFormat, AccessTokenOpaque, AccessTokenJWT)
	}
	if err := validateClaims(c.Claims, false); err != nil {
		return fmt.Errorf("client %s: %v", c.label(), err)
	}
	return nil
}
