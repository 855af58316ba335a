package mockprovider

import (
	"slices"
	"strings"
)

// validScopeToken reports whether s is a scope-token of RFC 6749 §3.3:
// 1*( %x21 / %x23-5B / %x5D-7E ).
func validScopeToken(s string) bool {
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

// parseScope splits a scope parameter into its tokens, dropping empty
// tokens from repeated spaces and duplicate tokens, keeping the order.
// It returns the first token that is not a valid scope-token.
func parseScope(s string) (scopes []string, bad string) {
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }) {
		if !validScopeToken(tok) {
			return nil, tok
		}
		if !slices.Contains(scopes, tok) {
			scopes = append(scopes, tok)
		}
	}
	return scopes, ""
}

func joinScope(scopes []string) string { return strings.Join(scopes, " ") }

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}
