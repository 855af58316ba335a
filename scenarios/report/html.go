package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

//go:embed templates/index.html
var templateFS embed.FS

var indexTemplate = template.Must(template.ParseFS(templateFS, "templates/index.html"))

// maxHTMLBody is how many characters (runes) of one HTTP body the HTML
// report shows; the JSON report has them whole.
const maxHTMLBody = 64 << 10

// WriteHTML writes a report a person opens in a browser, offline, from
// file://: dir/index.html, one page with inline CSS and no script or
// external resource, and the screenshots beside it as
// dir/shots/<id with "/" as "-">-<n>.png (or .jpg, by the page's
// ScreenshotType), n being the page's position in the scenario's evidence
// from 1. The page has a header (target, mode, start, wall time, counts), a
// table of all scenarios, and per scenario a <details> section, open for a
// fail or warn, with the notes, the HTTP exchanges (method, URL, status,
// headers and bodies) and, in order, the pages the user saw with their
// screenshots.
//
// dir is created if needed; files of an earlier report there are
// overwritten, not removed.
func WriteHTML(dir string, run Run) error {
	view, shots := newHTMLView(run)
	var buf bytes.Buffer
	if err := indexTemplate.Execute(&buf, view); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	if len(shots) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, "shots"), 0o755); err != nil {
			return fmt.Errorf("report: html: %w", err)
		}
	}
	for _, s := range shots {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(s.path)), s.data, 0o644); err != nil {
			return fmt.Errorf("report: html: screenshot: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// shotFile is a screenshot to write, path relative to the report's folder.
type shotFile struct {
	path string
	data []byte
}

type htmlView struct {
	Target, Mode, Command, Started, Wall   string
	Total, Pass, Fail, Warn, Skip, Unknown int
	XFail, XPass                           int
	Results                                []htmlResult
}

type htmlResult struct {
	Class, Tag, Anchor                  string
	ID, Level, RFC, Description, Reason string
	Expected                            string
	Millis                              int64
	Open                                bool
	Notes                               []string
	Exchanges                           []htmlExchange
	Pages                               []htmlPage
}

type htmlExchange struct {
	Step, Method, URL, Status, Error string
	// Request and Response are the headers, a blank line and the body,
	// as on the wire; empty when there is nothing to show.
	Request, Response string
}

type htmlPage struct {
	Step, URL string
	// Shot is the screenshot's path relative to index.html, or empty.
	Shot string
}

func newHTMLView(run Run) (htmlView, []shotFile) {
	s := outcome.Summarize(run.Results, run.Wall)
	v := htmlView{
		Target:  cleanText(run.Target),
		Mode:    cleanText(run.Mode),
		Command: cleanText(run.Command),
		Started: htmlTime(run.Started),
		Wall:    seconds(run.Wall),
		Total:   len(run.Results),
		Pass:    s.Pass, Fail: s.Fail, Warn: s.Warn, Skip: s.Skip, XFail: s.XFail, XPass: s.XPass,
	}
	v.Unknown = v.Total - s.Pass - s.Fail - s.Warn - s.Skip - s.XFail - s.XPass
	var shots []shotFile
	for _, r := range run.Results {
		hr := htmlResult{
			Class:       verdictClass(r.Verdict),
			Tag:         tag(r.Verdict),
			Anchor:      "s-" + fileStem(r.ID),
			ID:          cleanText(r.ID),
			Level:       cleanText(string(r.Level)),
			RFC:         cleanText(r.RFC),
			Description: cleanText(r.Description),
			Reason:      cleanText(r.Reason),
			Expected:    cleanText(r.Expected),
			Millis:      millis(r.Duration),
			Open:        r.Verdict != outcome.Pass && r.Verdict != outcome.Skip,
		}
		for _, n := range r.Notes {
			hr.Notes = append(hr.Notes, cleanText(n))
		}
		for _, e := range r.Evidence.Exchanges {
			hr.Exchanges = append(hr.Exchanges, newHTMLExchange(e))
		}
		for i, p := range r.Evidence.Pages {
			hp := htmlPage{Step: cleanText(p.Step), URL: cleanText(p.URL)}
			if len(p.Screenshot) > 0 {
				hp.Shot = path.Join("shots", fmt.Sprintf("%s-%d%s", fileStem(r.ID), i+1, shotExt(p.ScreenshotType, p.Screenshot)))
				shots = append(shots, shotFile{path: hp.Shot, data: p.Screenshot})
			}
			hr.Pages = append(hr.Pages, hp)
		}
		v.Results = append(v.Results, hr)
	}
	return v, shots
}

func newHTMLExchange(e outcome.Exchange) htmlExchange {
	he := htmlExchange{
		Step:    cleanText(e.Step),
		Method:  cleanText(e.Request.Method),
		URL:     cleanText(e.Request.URL),
		Error:   cleanText(e.Error),
		Request: messageText(e.Request),
	}
	if e.Response != nil {
		he.Status = statusLine(e.Response.Status)
		he.Response = messageText(*e.Response)
	}
	return he
}

// messageText is m's headers, a blank line and its body (cut to
// maxHTMLBody), or just one of them.
func messageText(m outcome.HTTPMessage) string {
	head, body := headerText(m.Header), clip(m.Body)
	if head != "" && body != "" {
		return cleanText(head + "\n\n" + body)
	}
	return cleanText(head + body)
}

// headerText is "Name: value" lines, names sorted.
func headerText(h http.Header) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			fmt.Fprintf(&b, "%s: %s\n", name, v)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// clip cuts a body to its first maxHTMLBody characters.
func clip(body string) string {
	cut := textcut.Runes(body, maxHTMLBody)
	if len(cut) == len(body) {
		return body
	}
	return fmt.Sprintf("%s\n... (%d more characters in the JSON report)", cut, utf8.RuneCountInString(body[len(cut):]))
}

func verdictClass(v outcome.Verdict) string {
	if known(v) {
		return string(v)
	}
	return "unknown"
}

func htmlTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// fileStem makes an ID usable in a file name and an HTML id: "/" becomes
// "-", anything but letters, digits, ".", "_" and "-" becomes "_".
func fileStem(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/':
			return '-'
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, id)
}

// shotExt is a screenshot file's extension from its MIME type ("image/png"
// or just "png"), sniffed from the bytes when the type says nothing known.
func shotExt(mimeType string, data []byte) string {
	if ext := imageExt(mimeType); ext != "" {
		return ext
	}
	if ext := imageExt(http.DetectContentType(data)); ext != "" {
		return ext
	}
	return ".bin"
}

func imageExt(mimeType string) string {
	t, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mimeType)), ";")
	switch strings.TrimPrefix(t, "image/") {
	case "png":
		return ".png"
	case "jpeg", "jpg":
		return ".jpg"
	case "webp":
		return ".webp"
	case "gif":
		return ".gif"
	}
	return ""
}
