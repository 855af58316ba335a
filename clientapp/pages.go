package clientapp

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplate is parsed once; a parsed html/template is safe for concurrent use.
var pageTemplate = template.Must(template.ParseFS(templateFS, "templates/page.html"))

// page is an HTML page other than the seed's JSON: an error or a notice. Its Message is the line
// scenarios look for (element #message); Detail holds what the provider said (element #detail).
type page struct {
	Status  int
	Title   string
	Message string
	Detail  string
	Hint    string
}

// renderPage writes p as HTML with its status. Everything is escaped by html/template.
func (a *App) renderPage(w http.ResponseWriter, p page) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		a.log.Error("clientapp: rendering page", "title", p.Title, "err", err)
		http.Error(w, p.Title+": "+p.Message, p.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}

// writeJSON writes v pretty-printed with a 2-space indent, as the seed's jsonify does, without
// HTML escaping so that the provider's strings are shown as returned.
func (a *App) writeJSON(w http.ResponseWriter, v any) {
	if err := httpjson.Write(w, http.StatusOK, v, httpjson.Indent("  "), httpjson.Verbatim()); err != nil {
		a.log.Error("clientapp: writing JSON", "err", err)
	}
}

// excerptLen is how many characters of a response body an error page shows.
const excerptLen = 512

// excerpt returns the start of a response body for an error page, as valid UTF-8.
func excerpt(body []byte) string {
	if len(body) == 0 {
		return "(empty body)"
	}
	return textcut.Cut(strings.ToValidUTF8(string(body), string(utf8.RuneError)), excerptLen)
}
