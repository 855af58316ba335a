package bearer

import (
	"net/http"
	"strings"
)

// Error codes of RFC 6750 §3.1.
const (
	CodeInvalidRequest    = "invalid_request"
	CodeInvalidToken      = "invalid_token"
	CodeInsufficientScope = "insufficient_scope"
)

// MaxTokenLength bounds the token [Parse] accepts, in bytes.
const MaxTokenLength = 4096

// Error is why a request carries no usable bearer token. Code is the
// RFC 6750 §3.1 error code to answer with: empty when the request has no
// bearer credentials at all (§3.1: "SHOULD NOT include an error code"),
// [CodeInvalidRequest] when they are malformed. Two errors match with
// [errors.Is] when their codes are equal.
type Error struct {
	Code        string
	Description string
}

// Sentinels for [errors.Is].
var (
	// ErrNoToken: no Authorization header, or one of another scheme.
	ErrNoToken = &Error{Description: "the request has no bearer token"}
	// ErrInvalidRequest: a malformed header or token.
	ErrInvalidRequest = &Error{Code: CodeInvalidRequest, Description: "malformed bearer credentials"}
)

func (e *Error) Error() string {
	if e.Code == "" {
		return "bearer: " + e.Description
	}
	return "bearer: " + e.Code + ": " + e.Description
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// FromHeader returns the bearer token of a request's header: exactly one
// Authorization field is allowed (RFC 6750 §2.1; tokens in the query or
// the body are not looked at).
func FromHeader(h http.Header) (string, error) {
	values := h.Values("Authorization")
	switch len(values) {
	case 0:
		return "", &Error{Description: "the request has no bearer token; send Authorization: Bearer <token>"}
	case 1:
		return Parse(values[0])
	}
	return "", &Error{Code: CodeInvalidRequest, Description: "more than one Authorization header"}
}

// Parse returns the token of an Authorization header value
// "Bearer <token>" (RFC 6750 §2.1). The scheme is case-insensitive
// (RFC 9110 §11.1); the token must be a b64token of at most
// [MaxTokenLength] bytes. An empty value or another scheme gives an
// error with no code, a malformed token one with [CodeInvalidRequest].
func Parse(header string) (string, error) {
	if header == "" {
		return "", &Error{Description: "the request has no bearer token; send Authorization: Bearer <token>"}
	}
	scheme, token, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", &Error{Description: "the Authorization header is not Bearer"}
	}
	token = strings.TrimLeft(token, " ")
	if len(token) > MaxTokenLength || !ValidToken(token) {
		return "", &Error{Code: CodeInvalidRequest, Description: "the bearer token is malformed (RFC 6750 section 2.1)"}
	}
	return token, nil
}

// ValidToken reports whether s is a b64token of RFC 6750 §2.1:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func ValidToken(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}
