package mockprovider

import (
	"encoding/json"
	"io"
	"net/http"

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

// decodeJSON reads a small JSON body into v, refusing unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) *Error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return ErrInvalidRequest.WithDescription("the body is not the expected JSON: %v", err)
	}
	return nil
}
