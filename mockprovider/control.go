package mockprovider

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// RequestRecord is one request in the provider's log, secrets and tokens
// redacted (replaced by a short fingerprint, so that two records of the
// same value can still be matched).
type RequestRecord struct {
	Seq           int                 `json:"seq"`
	Time          time.Time           `json:"time"`
	Method        string              `json:"method"`
	Path          string              `json:"path"`
	Query         map[string][]string `json:"query,omitempty"`
	Form          map[string][]string `json:"form,omitempty"`
	Authorization string              `json:"authorization,omitempty"`
	Status        int                 `json:"status"`
	Location      string              `json:"location,omitempty"`
}

var secretParams = map[string]bool{
	"client_secret": true, "code": true, "code_verifier": true, "password": true, "access_token": true,
	"refresh_token": true, "token": true, "csrf": true, "consent_id": true, "id_token_hint": true,
}

// Redact replaces a secret by a fingerprint of it.
func Redact(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "[redacted " + hex.EncodeToString(sum[:4]) + "]"
}

func redactValues(v url.Values) map[string][]string {
	if len(v) == 0 {
		return nil
	}
	out := make(map[string][]string, len(v))
	for k, vs := range v {
		vs = slices.Clone(vs)
		if secretParams[k] {
			for i := range vs {
				vs[i] = Redact(vs[i])
			}
		}
		out[k] = vs
	}
	return out
}

func redactLocation(loc string) string {
	base, query, ok := strings.Cut(loc, "?")
	if !ok {
		return loc
	}
	frag := ""
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query, frag = query[:i], query[i:]
	}
	parts := strings.Split(query, "&")
	for i, part := range parts {
		k, v, _ := strings.Cut(part, "=")
		if name, err := url.QueryUnescape(k); err == nil && secretParams[name] {
			parts[i] = k + "=" + url.QueryEscape(Redact(v))
		}
	}
	return base + "?" + strings.Join(parts, "&") + frag
}

func (p *Provider) record(r *http.Request, w *recordingWriter) {
	if strings.HasPrefix(r.URL.Path, "/_mock/") {
		return
	}
	rec := RequestRecord{
		Time:     p.clock.Now(),
		Method:   r.Method,
		Path:     r.URL.Path,
		Query:    redactValues(r.URL.Query()),
		Form:     redactValues(r.PostForm),
		Status:   w.status,
		Location: redactLocation(w.Header().Get("Location")),
	}
	if h := r.Header.Get("Authorization"); h != "" {
		// Keep the scheme only when there is one: a header without a space
		// is all credential.
		if scheme, value, ok := strings.Cut(h, " "); ok {
			rec.Authorization = textcut.Cut(scheme, 20) + " " + Redact(value)
		} else {
			rec.Authorization = Redact(h)
		}
	}
	p.logMu.Lock()
	rec.Seq = len(p.requests) + 1
	p.requests = append(p.requests, rec)
	p.logMu.Unlock()
}

// Requests returns the request log, oldest first.
func (p *Provider) Requests() []RequestRecord {
	p.logMu.Lock()
	defer p.logMu.Unlock()
	return slices.Clone(p.requests)
}

// controlRoutes registers the /_mock control API. Every route answers
// loopback clients only (unless [WithRemoteControl]); anything else under
// /_mock/ is a JSON 404 listing the routes.
func (p *Provider) controlRoutes(mux *http.ServeMux) {
	routes := map[string]http.HandlerFunc{
		"GET /_mock/requests":     func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, p.Requests()) },
		"DELETE /_mock/requests":  p.deleteRequests,
		"GET /_mock/clock":        func(w http.ResponseWriter, _ *http.Request) { p.writeClock(w) },
		"POST /_mock/clock":       p.postClock,
		"POST /_mock/reset":       p.postReset,
		"GET /_mock/quirks":       func(w http.ResponseWriter, _ *http.Request) { p.writeQuirks(w) },
		"POST /_mock/quirks":      p.postQuirks,
		"PUT /_mock/quirks":       p.postQuirks,
		"GET /_mock/clients":      func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, p.Clients()) },
		"POST /_mock/clients":     p.postClient,
		"POST /_mock/keys/rotate": p.postRotateKeys,
	}
	for pattern, h := range routes {
		mux.Handle(pattern, p.controlOnly(h))
	}
	mux.Handle("/_mock/", p.controlOnly(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, ErrInvalidRequest.WithStatus(http.StatusNotFound).WithDescription(
			"no control endpoint %s %s; known: GET|DELETE /_mock/requests, GET|POST /_mock/clock, POST /_mock/reset, GET|POST /_mock/quirks, GET|POST /_mock/clients, POST /_mock/keys/rotate", r.Method, r.URL.Path))
	}))
}

// controlOnly lets a control request through when it comes from a
// loopback client or remote control is on.
func (p *Provider) controlOnly(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.cfg.remoteControl && !fromLoopback(r) {
			writeJSONError(w, ErrAccessDenied.WithDescription("the /_mock control API answers loopback clients only (start with --remote-control to change that)"))
			return
		}
		h(w, r)
	})
}

func (p *Provider) deleteRequests(w http.ResponseWriter, _ *http.Request) {
	p.logMu.Lock()
	p.requests = nil
	p.logMu.Unlock()
	writeJSON(w, http.StatusOK, struct{}{})
}

func (p *Provider) postReset(w http.ResponseWriter, _ *http.Request) {
	p.Reset()
	writeJSON(w, http.StatusOK, struct {
		Reset bool      `json:"reset"`
		Now   time.Time `json:"now"`
	}{true, p.clock.Now()})
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (p *Provider) writeClock(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, struct {
		Now  time.Time `json:"now"`
		Real bool      `json:"real"`
	}{p.clock.Now(), p.cfg.realClock})
}

func (p *Provider) postClock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Advance string `json:"advance"`
	}
	if e := decodeJSON(w, r, &body); e != nil {
		writeJSONError(w, e)
		return
	}
	d, err := time.ParseDuration(body.Advance)
	if err != nil || d < 0 {
		writeJSONError(w, ErrInvalidRequest.WithDescription(`give {"advance": "<duration>"}, e.g. "10m", a positive Go duration`))
		return
	}
	if err := p.Advance(d); err != nil {
		writeJSONError(w, ErrInvalidRequest.WithStatus(http.StatusConflict).WithDescription("%v", err))
		return
	}
	p.writeClock(w)
}

func (p *Provider) writeQuirks(w http.ResponseWriter) {
	active := p.ActiveQuirks()
	if active == nil {
		active = []Quirk{}
	}
	writeJSON(w, http.StatusOK, struct {
		Active []Quirk     `json:"active"`
		Known  []QuirkInfo `json:"known"`
	}{active, Quirks()})
}

func (p *Provider) postQuirks(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Quirks []Quirk `json:"quirks"`
	}
	if e := decodeJSON(w, r, &body); e != nil {
		writeJSONError(w, e)
		return
	}
	if err := p.SetQuirks(body.Quirks...); err != nil {
		writeJSONError(w, ErrInvalidRequest.WithDescription("%v", err))
		return
	}
	p.writeQuirks(w)
}

// clientRegistration is the JSON of POST /_mock/clients.
type clientRegistration struct {
	Client
	Secret string `json:"client_secret,omitempty"`
}

func (p *Provider) postClient(w http.ResponseWriter, r *http.Request) {
	var body clientRegistration
	if e := decodeJSON(w, r, &body); e != nil {
		writeJSONError(w, e)
		return
	}
	body.Client.Secret = body.Secret
	c, err := p.Register(body.Client)
	if err != nil {
		writeJSONError(w, ErrInvalidRequest.WithDescription("%v", err))
		return
	}
	writeJSON(w, http.StatusCreated, clientRegistration{Client: c, Secret: c.Secret})
}
