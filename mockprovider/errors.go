package mockprovider

import (
	"fmt"
	"net/http"
)

// Error is an OAuth 2.0 error response (RFC 6749 §4.1.2.1, §5.2; RFC 6750
// §3.1). Two errors match with [errors.Is] when their codes are equal, so
// a sentinel such as [ErrInvalidGrant] still matches after a description
// has been added with [Error.WithDescription].
type Error struct {
	// Code is the RFC 6749 error code, e.g. "invalid_grant".
	Code string
	// Description is the human-readable error_description.
	Description string
	// Status is the HTTP status used when the error is written as JSON.
	Status int
}

// The RFC 6749 and RFC 6750 error codes the provider answers with.
var (
	ErrInvalidRequest          = &Error{Code: "invalid_request", Status: http.StatusBadRequest}
	ErrInvalidClient           = &Error{Code: "invalid_client", Status: http.StatusUnauthorized}
	ErrInvalidGrant            = &Error{Code: "invalid_grant", Status: http.StatusBadRequest}
	ErrUnauthorizedClient      = &Error{Code: "unauthorized_client", Status: http.StatusBadRequest}
	ErrUnsupportedGrantType    = &Error{Code: "unsupported_grant_type", Status: http.StatusBadRequest}
	ErrUnsupportedResponseType = &Error{Code: "unsupported_response_type", Status: http.StatusBadRequest}
	ErrInvalidScope            = &Error{Code: "invalid_scope", Status: http.StatusBadRequest}
	ErrAccessDenied            = &Error{Code: "access_denied", Status: http.StatusForbidden}
	ErrServerError             = &Error{Code: "server_error", Status: http.StatusInternalServerError}
	ErrInvalidToken            = &Error{Code: "invalid_token", Status: http.StatusUnauthorized}
	ErrInsufficientScope       = &Error{Code: "insufficient_scope", Status: http.StatusForbidden}
	ErrUnsupportedTokenType    = &Error{Code: "unsupported_token_type", Status: http.StatusBadRequest}
)

func (e *Error) Error() string {
	if e.Description == "" {
		return "mockprovider: " + e.Code
	}
	return "mockprovider: " + e.Code + ": " + e.Description
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithDescription returns a copy of e with the given error_description.
func (e *Error) WithDescription(format string, args ...any) *Error {
	c := *e
	c.Description = fmt.Sprintf(format, args...)
	return &c
}

// WithStatus returns a copy of e answered with another HTTP status.
func (e *Error) WithStatus(status int) *Error {
	c := *e
	c.Status = status
	return &c
}
