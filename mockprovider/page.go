package mockprovider

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses the embedded page templates once per process; every
// Provider shares the result (a parsed html/template is safe for
// concurrent use).
var parsePages = sync.OnceValues(func() (*template.Template, error) {
	t, err := template.New("").Funcs(template.FuncMap{"join": scope.Join}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("mockprovider: templates: %w", err)
	}
	return t, nil
})

// render writes an HTML page.
func (p *Provider) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.pages.ExecuteTemplate(&buf, name, data); err != nil {
		p.log.Error("render", "page", name, "err", err)
		http.Error(w, "mockprovider: cannot render page "+name, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	// No form-action: browsers apply it to the redirect that follows the
	// consent form, which goes to the client.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the page shown when the provider must not redirect.
type errorPage struct {
	Title      string
	Message    string
	Analysis   *analysisView
	Registered []string
	Presented  string
	// Profile is the provider profile that refused the redirect URI.
	Profile *ProfileVerdict
}

type analysisView struct {
	*RedirectAnalysis
	Rows []analysisRow
}

type analysisRow struct {
	Name, Registered, Presented string
	Differs                     bool
}

func newAnalysisView(a *RedirectAnalysis) *analysisView {
	r, q := a.RegisteredParts, a.PresentedParts
	rows := []analysisRow{
		{"scheme", r.Scheme, q.Scheme, false},
		{"userinfo", r.Userinfo, q.Userinfo, false},
		{"host", r.Host, q.Host, false},
		{"port", r.Port, q.Port, false},
		{"path", r.Path, q.Path, false},
		{"query", r.Query, q.Query, false},
		{"fragment", r.Fragment, q.Fragment, false},
	}
	for i := range rows {
		rows[i].Differs = rows[i].Registered != rows[i].Presented
	}
	return &analysisView{RedirectAnalysis: a, Rows: rows}
}

func (p *Provider) renderError(w http.ResponseWriter, status int, title, message string) {
	p.render(w, status, "error", errorPage{Title: title, Message: message})
}
