package mockprovider

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
)

// errorJSON is the body of a token error (RFC 6749 §5.2).
type errorJSON struct {
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// writeJSON writes every JSON answer of the provider: never cached
// (RFC 6749 §5.1), with the charset spelled out.
func writeJSON(w http.ResponseWriter, status int, v any) {
	_ = httpjson.Write(w, status, v, httpjson.NoStore(), httpjson.WithContentType("application/json;charset=UTF-8"))
}

func writeJSONError(w http.ResponseWriter, e *Error) {
	writeJSON(w, e.Status, errorJSON{Error: e.Code, ErrorDescription: e.Description})
}

// methodNotAllowed answers 405 with the methods the endpoint takes.
func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeJSONError(w, ErrInvalidRequest.WithStatus(http.StatusMethodNotAllowed).WithDescription("method not allowed; use %s", allow))
}

// decodeJSON reads a small body holding one JSON value into v, refusing
// unknown fields and trailing data; its errors speak of the body's
// fields and JSON types, never of Go types.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) *Error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == io.EOF {
		return nil
	}
	if err == nil {
		if _, more := dec.Token(); more != io.EOF {
			return ErrInvalidRequest.WithDescription("the body must hold a single JSON object, with nothing after it")
		}
		return nil
	}
	return ErrInvalidRequest.WithDescription("the body is not the expected JSON: %s", jsonProblem(err))
}

// jsonProblem words a decoding error in the body's terms.
func jsonProblem(err error) string {
	var (
		typeErr  *json.UnmarshalTypeError
		syntax   *json.SyntaxError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return fmt.Sprintf("it must be a JSON %s, not %s", jsonKind(typeErr.Type), article(typeErr.Value))
	case errors.As(err, &typeErr):
		return fmt.Sprintf("field %s must be %s, not %s", jsonField(typeErr.Field), article(jsonKind(typeErr.Type)), article(typeErr.Value))
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("it is larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends in the middle of a value"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "it cannot be read"
}

// jsonField drops from a decoding error's field path the names of
// embedded Go structs ("Client.redirect_uris"): the body's field names
// are all lower case.
func jsonField(path string) string {
	parts := strings.Split(path, ".")
	for len(parts) > 1 && parts[0] != "" && unicode.IsUpper(rune(parts[0][0])) {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// jsonKind is the JSON type that decodes into a Go type.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "number"
}

// article puts "a" or "an" before a JSON type name; it drops the literal
// encoding/json adds to a number ("number 600").
func article(kind string) string {
	kind, _, _ = strings.Cut(kind, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "a boolean"
	}
	return "a " + kind
}
