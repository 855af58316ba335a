package mockprovider

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

var templateFuncs = template.FuncMap{"join": scope.Join}

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

// tokenJSON is the body of a token error (RFC 6749 §5.2).
type errorJSON struct {
	Error            string `json:"error"`
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

// appendParams adds query parameters to a redirect URI, keeping its own
// query component as it is (RFC 6749 §3.1.2) and any fragment after them.
func appendParams(uri string, params [][2]string) string {
	frag := ""
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri, frag = uri[:i], uri[i:]
	}
	var b strings.Builder
	b.WriteString(uri)
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
		if strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&") {
			sep = ""
		}
	}
	for _, kv := range params {
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
		sep = "&"
	}
	return b.String() + frag
}

// baseURL is the provider's own URL: the configured issuer, else derived
// from the request.
func (p *Provider) baseURL(r *http.Request) string {
	if p.cfg.issuer != "" {
		return strings.TrimSuffix(p.cfg.issuer, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
