package mockprovider

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxParamLength bounds every request parameter.
const maxParamLength = 4096

// param returns the single value of a request parameter. A parameter sent
// without a value is treated as omitted (RFC 6749 §3.1); a repeated,
// oversized or non-UTF-8 one is an invalid_request.
func param(v url.Values, name string, allowRepeat bool) (string, *Error) {
	vs := v[name]
	if len(vs) == 0 {
		return "", nil
	}
	if len(vs) > 1 && !allowRepeat {
		return "", ErrInvalidRequest.WithDescription("parameter %q is repeated; RFC 6749 §3.1 allows it once", name)
	}
	s := vs[0]
	if len(s) > maxParamLength {
		return "", ErrInvalidRequest.WithDescription("parameter %q is longer than %d bytes", name, maxParamLength)
	}
	if !utf8.ValidString(s) {
		return "", ErrInvalidRequest.WithDescription("parameter %q is not valid UTF-8", name)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", ErrInvalidRequest.WithDescription("parameter %q contains control characters", name)
	}
	return s, nil
}

// parseForm parses an application/x-www-form-urlencoded body of at most
// maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) (url.Values, *Error) {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
		return nil, ErrInvalidRequest.WithDescription("the request body must be application/x-www-form-urlencoded, not %q", ct)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, ErrInvalidRequest.WithDescription("the form body is malformed or larger than %d bytes", maxFormBytes)
	}
	return r.PostForm, nil
}

// repeated returns an invalid_request naming the first of names that the
// form carries more than once, for forms whose fields are each sent once.
func repeated(v url.Values, names ...string) *Error {
	for _, name := range names {
		if len(v[name]) > 1 {
			return ErrInvalidRequest.WithDescription("field %q is repeated; the form sends it once", name)
		}
	}
	return nil
}
