// Package scope is the scope parameter of RFC 6749 §3.3: a list of
// space-delimited, case-sensitive scope-tokens, each
// 1*( %x21 / %x23-5B / %x5D-7E ).
//
//	scopes, err := scope.Parse(r.Form.Get("scope")) // "email profile" → [email profile]
//
// See https://www.rfc-editor.org/rfc/rfc6749#section-3.3.
package scope
