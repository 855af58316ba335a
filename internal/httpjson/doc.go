// Package httpjson writes JSON HTTP responses: the status, the
// Content-Type, optionally the no-store headers OAuth 2.0 requires on
// responses that carry tokens or errors (RFC 6749 §5.1), and the body.
//
//	err := httpjson.Write(w, http.StatusOK, resp, httpjson.NoStore())
package httpjson
