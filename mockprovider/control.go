package mockprovider

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

// controlRoutes registers the /_mock control API. Every route answers
// loopback clients only (unless [WithRemoteControl]); anything else under
// /_mock/ is a JSON 404 listing the routes.
func (p *Provider) controlRoutes(mux *http.ServeMux) {
	routes := map[string]http.HandlerFunc{
		"GET /_mock/requests":     p.getRequests,
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

// controlOnly lets a control request through when [Provider.controlRefusal]
// finds nothing wrong with it: a loopback client (or remote control on),
// a known Host, no foreign Origin, JSON bodies.
func (p *Provider) controlOnly(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := p.controlRefusal(r); e != nil {
			p.log.Warn("control request refused", "method", r.Method, "path", r.URL.Path, "reason", e.Description)
			writeJSONError(w, e)
			return
		}
		h(w, r)
	})
}

// getRequests answers the request log, oldest first: every record kept,
// or with ?after=SEQ&limit=N the next page (the last record's seq is the
// next page's after).
func (p *Provider) getRequests(w http.ResponseWriter, r *http.Request) {
	var after, limit int
	q := r.URL.Query()
	for name, dst := range map[string]*int{"after": &after, "limit": &limit} {
		v, e := param(q, name, false)
		if e != nil {
			writeJSONError(w, e)
			return
		}
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeJSONError(w, ErrInvalidRequest.WithDescription("%s must be a non-negative integer", name))
			return
		}
		*dst = n
	}
	writeJSON(w, http.StatusOK, p.reqLog.page(after, limit))
}

func (p *Provider) deleteRequests(w http.ResponseWriter, _ *http.Request) {
	p.reqLog.clear()
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
	if err != nil || d <= 0 {
		writeJSONError(w, ErrInvalidRequest.WithDescription(`give {"advance": "<duration>"}, e.g. "10m", a positive Go duration`))
		return
	}
	switch err := p.Advance(d); {
	case errors.Is(err, ErrRealClock):
		writeJSONError(w, ErrInvalidRequest.WithStatus(http.StatusConflict).WithDescription("the provider uses the real clock, which cannot be moved"))
		return
	case err != nil:
		writeJSONError(w, ErrInvalidRequest.WithDescription("advance %v would move the clock past %s; the virtual clock stops there", d, MaxClock.Format(time.RFC3339)))
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
