// Package bearer reads an OAuth 2.0 bearer token from an Authorization
// header (RFC 6750 §2.1) and writes the WWW-Authenticate challenge a
// protected resource answers with (RFC 6750 §3).
//
//	token, err := bearer.FromHeader(r.Header)
//	w.Header().Set("WWW-Authenticate", bearer.Challenge{Realm: "api", Error: bearer.CodeInvalidToken}.String())
//
// See https://www.rfc-editor.org/rfc/rfc6750.
package bearer
