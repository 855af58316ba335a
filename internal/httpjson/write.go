package httpjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// ContentType is the default Content-Type of [Write].
const ContentType = "application/json"

// An Option changes how [Write] answers.
type Option func(*settings)

type settings struct {
	contentType string
	noStore     bool
	indent      string
	escapeHTML  bool
}

// NoStore adds Cache-Control: no-store and Pragma: no-cache, as RFC 6749
// §5.1 requires for token responses (and §5.2 errors).
func NoStore() Option { return func(s *settings) { s.noStore = true } }

// WithContentType replaces [ContentType], for example with
// "application/json;charset=UTF-8".
func WithContentType(ct string) Option { return func(s *settings) { s.contentType = ct } }

// Indent pretty-prints the body with the given indent per level.
func Indent(indent string) Option { return func(s *settings) { s.indent = indent } }

// Verbatim writes '<', '>' and '&' as they are instead of as \u003c and
// so on (the default, safe for bodies shown inside HTML).
func Verbatim() Option { return func(s *settings) { s.escapeHTML = false } }

// Write encodes v and writes it with status, ending the body with a
// newline. When v cannot be encoded nothing of it is sent: the answer is
// 500 with {"error":"server_error"} and the encoding error is returned.
// A write error (the client went away) is returned too.
func Write(w http.ResponseWriter, status int, v any, opts ...Option) error {
	s := settings{contentType: ContentType, escapeHTML: true}
	for _, o := range opts {
		o(&s)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(s.escapeHTML)
	enc.SetIndent("", s.indent)
	h := w.Header()
	h.Set("Content-Type", s.contentType)
	if s.noStore {
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
	}
	if err := enc.Encode(v); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":"server_error"}` + "\n"))
		return fmt.Errorf("httpjson: encoding %T: %w", v, err)
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
