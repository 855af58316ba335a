package scope

import (
	"fmt"
	"slices"
	"strings"
)

// ValidToken reports whether s is a scope-token of RFC 6749 §3.3:
// 1*( %x21 / %x23-5B / %x5D-7E ), that is printable ASCII without space,
// double quote and backslash.
func ValidToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// TokenError is a scope value with a part that is not a scope-token.
type TokenError struct {
	// Token is the first offending part.
	Token string
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("scope %q is not a valid scope token (RFC 6749 §3.3)", e.Token)
}

// Parse splits a scope parameter into its tokens in order, dropping the
// empty parts that repeated spaces leave and repeated tokens. A part that
// is not a scope-token (for example one with a tab or a quote) gives a
// [*TokenError] naming it. Only the space (%x20) delimits, as RFC 6749
// §3.3 says.
func Parse(s string) ([]string, error) {
	var scopes []string
	for _, tok := range strings.Split(s, " ") {
		if tok == "" {
			continue
		}
		if !ValidToken(tok) {
			return nil, &TokenError{Token: tok}
		}
		if !slices.Contains(scopes, tok) {
			scopes = append(scopes, tok)
		}
	}
	return scopes, nil
}

// Join writes scopes as a scope parameter value.
func Join(scopes []string) string { return strings.Join(scopes, " ") }

// Has reports whether the space-delimited scope value list contains the
// token want (case-sensitive, RFC 6749 §3.3).
func Has(list, want string) bool {
	return slices.Contains(strings.Split(list, " "), want) && want != ""
}

// Subset reports whether every token in a is also in b, as a refresh
// request's scope must be within the original grant (RFC 6749 §6).
func Subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}
