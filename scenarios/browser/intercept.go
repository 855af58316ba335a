package browser

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// An Interceptor answers in-process the requests of one session whose URL
// matches its prefix, with an [http.Handler], and records them. Nothing needs
// to listen at the prefix's address, and nothing is sent to the network, so a
// prefix may name any host, https included.
//
// How it works: the session enables the DevTools Fetch domain on its page
// with one URL pattern per intercepted origin. Chromium pauses each matching
// request before it leaves the browser (no DNS lookup, no connection, no TLS)
// and sends it to us (Fetch.requestPaused, whose headers include the Cookie
// header Chromium would send); the handler runs in-process and its response
// goes back with Fetch.fulfillRequest. Other paths of the origin are let
// through with Fetch.continueRequest.
//
// Chromium treats a fulfilled response like one from the network: it stores
// the cookies of its Set-Cookie headers (HttpOnly, SameSite and Path as for
// a real server) in the session's cookie jar, follows a 3xx with Location,
// and shows the body. So a handler that keeps its session in a cookie, like
// the reference client app, works unchanged: no cookie needs setting through
// DevTools and no loopback listener is needed. TestInterceptSetCookieRoundTrip
// checks this on every run.
type Interceptor struct {
	s       *session
	prefix  prefix
	raw     string
	h       http.Handler
	timeout time.Duration

	mu       sync.Mutex
	captured []*CapturedRequest
	arrived  chan struct{} // closed and replaced on every capture
}

// A CapturedRequest is a request an [Interceptor] answered, and the answer.
type CapturedRequest struct {
	Method string
	URL    *url.URL    // the full URL, query included, fragment excluded
	Header http.Header // as the browser sent them, Cookie included
	Body   []byte

	Status         int         // the status the handler answered
	ResponseHeader http.Header // the headers it answered, Set-Cookie included
}

// Intercept makes the session answer every request whose URL matches prefix
// with h, in-process, from now on: navigations, redirects, form posts,
// fetches. h gets the real method, URL, headers (Cookie included) and body;
// the browser gets h's status, headers (Set-Cookie is honoured, a 302 is
// followed) and body.
//
// A request matches when its scheme, host and port equal the prefix's (the
// default port of the scheme may be left out) and its path is the prefix's
// path or below it, segment by segment: "http://localhost:8000/authorized"
// matches /authorized, /authorized/ and /authorized/x with any query, not
// /authorizedx; "http://localhost:8000" or ".../" match the whole origin.
// The prefix's own query and fragment are ignored. When several interceptors
// match, the longest path wins.
//
// Requests to other origins, and to other paths of an intercepted origin, go
// to the network as usual. h runs while the browser waits for its answer: it
// must not drive the session itself.
func (s *Session) Intercept(prefix string, h http.Handler) (*Interceptor, error) {
	p, err := parsePrefix(prefix)
	if err == nil && h == nil {
		err = errors.New("nil handler")
	}
	if err != nil {
		return nil, fmt.Errorf("browser: intercept %q: %w", prefix, err)
	}
	i := &Interceptor{s: s.session, prefix: p, raw: prefix, h: h, timeout: s.timeout, arrived: make(chan struct{})}
	err = s.do("intercept "+prefix, func(st *step) error {
		s.fetchMu.Lock()
		defer s.fetchMu.Unlock()
		s.mu.Lock()
		s.routes = append(s.routes, i)
		patterns := fetchPatterns(s.routes)
		s.fetching = true // even if the call fails: it may have been made
		s.mu.Unlock()
		err := proto.FetchEnable{Patterns: patterns}.Call(s.page.Context(st.ctx))
		if err != nil {
			s.mu.Lock()
			s.routes = slices.DeleteFunc(s.routes, func(r *Interceptor) bool { return r == i })
			s.mu.Unlock()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return i, nil
}

// Requests is every request answered so far, in order.
func (i *Interceptor) Requests() []*CapturedRequest {
	i.mu.Lock()
	defer i.mu.Unlock()
	return slices.Clone(i.captured)
}

// Wait returns the first request answered, waiting for it if none has been
// yet, within ctx and the session's timeout.
func (i *Interceptor) Wait(ctx context.Context) (*CapturedRequest, error) {
	step := "wait for a request to " + i.raw
	tctx, cancel := context.WithTimeoutCause(ctx, i.timeout, errStepTimeout)
	defer cancel()
	for {
		i.mu.Lock()
		if len(i.captured) > 0 {
			r := i.captured[0]
			i.mu.Unlock()
			return r, nil
		}
		arrived := i.arrived
		i.mu.Unlock()
		select {
		case <-arrived:
		case <-i.s.life.Done():
			return nil, fmt.Errorf("browser: %s: %w", step, ErrClosed)
		case <-tctx.Done():
			if context.Cause(tctx) == errStepTimeout {
				return nil, &TimeoutError{Step: step, After: i.timeout, URL: i.s.urlNow()}
			}
			return nil, fmt.Errorf("browser: %s: %w", step, context.Cause(tctx))
		}
	}
}

func (s *session) urlNow() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// fetchPatterns is one Fetch pattern per intercepted origin; the exact
// path rule is applied in serve.
func fetchPatterns(routes []*Interceptor) []*proto.FetchRequestPattern {
	var out []*proto.FetchRequestPattern
	seen := map[string]bool{}
	for _, r := range routes {
		pat := r.prefix.pattern()
		if !seen[pat] {
			seen[pat] = true
			out = append(out, &proto.FetchRequestPattern{URLPattern: pat})
		}
	}
	return out
}

// route is the interceptor for u: the matching one with the longest path.
func (s *session) route(u *url.URL) *Interceptor {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *Interceptor
	for _, r := range s.routes {
		if r.prefix.match(u) && (best == nil || len(r.prefix.path) > len(best.prefix.path)) {
			best = r
		}
	}
	return best
}

// serve answers one paused request: with its interceptor's handler, or, if
// none matches after all, by letting it continue to the network.
func (s *session) serve(e *proto.FetchRequestPaused) {
	ctx, cancel := context.WithTimeout(s.life, 10*time.Second)
	defer cancel()
	page := s.page.Context(ctx)
	u, err := url.Parse(e.Request.URL)
	var r *Interceptor
	if err == nil {
		r = s.route(u)
	}
	if r == nil {
		if err := (proto.FetchContinueRequest{RequestID: e.RequestID}).Call(page); err != nil {
			s.log.Debug("browser: continue request", "url", e.Request.URL, "err", err)
		}
		return
	}
	c := r.handle(ctx, s, e, u)
	res := proto.FetchFulfillRequest{RequestID: e.RequestID, ResponseCode: c.Status, Body: []byte{}}
	if e.Request.Method != http.MethodHead && len(c.body) > 0 {
		res.Body = c.body
	}
	for name, values := range c.ResponseHeader {
		for _, v := range values {
			res.ResponseHeaders = append(res.ResponseHeaders, &proto.FetchHeaderEntry{Name: name, Value: v})
		}
	}
	if err := res.Call(page); err != nil {
		s.log.Debug("browser: fulfill request", "url", e.Request.URL, "err", err)
	}
	s.log.Debug("browser: intercepted", "method", c.Method, "url", c.URL.String(), "status", c.Status)
	r.record(c.CapturedRequest)
}

// capture is a CapturedRequest with the response body, which is not kept.
type capture struct {
	*CapturedRequest
	body []byte
}

// handle runs the handler on the paused request.
func (i *Interceptor) handle(ctx context.Context, s *session, e *proto.FetchRequestPaused, u *url.URL) capture {
	body := requestBody(ctx, s, e)
	header := http.Header{}
	for name, v := range e.Request.Headers {
		header.Add(name, v.Str())
	}
	req := (&http.Request{
		Method: e.Request.Method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		Host: u.Host, RemoteAddr: "127.0.0.1:0", RequestURI: u.RequestURI(),
	}).WithContext(s.life)
	if u.Scheme == "https" {
		req.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: u.Hostname()}
	}
	w := &responseRecorder{header: http.Header{}}
	func() {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("browser: intercept handler panicked", "url", u.String(), "panic", p)
				w = &responseRecorder{header: http.Header{}, status: http.StatusInternalServerError}
				w.header.Set("Content-Type", "text/plain; charset=utf-8")
				fmt.Fprintf(&w.body, "browser: the intercept handler panicked: %v", p)
			}
		}()
		i.h.ServeHTTP(w, req)
	}()
	w.finish()
	return capture{&CapturedRequest{Method: e.Request.Method, URL: u, Header: header.Clone(), Body: body,
		Status: w.status, ResponseHeader: w.header.Clone()}, w.body.Bytes()}
}

// requestBody is the request's body: Chromium sends it with the event,
// unless it is too long, in which case it is asked for.
func requestBody(ctx context.Context, s *session, e *proto.FetchRequestPaused) []byte {
	var body []byte
	for _, entry := range e.Request.PostDataEntries {
		body = append(body, entry.Bytes...)
	}
	if body == nil && e.Request.PostData != "" {
		body = []byte(e.Request.PostData)
	}
	if body == nil && e.Request.HasPostData && e.NetworkID != "" {
		res, err := proto.NetworkGetRequestPostData{RequestID: e.NetworkID}.Call(s.page.Context(ctx))
		if err == nil {
			body = []byte(res.PostData)
		}
	}
	return body
}

func (i *Interceptor) record(c *CapturedRequest) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.captured = append(i.captured, c)
	close(i.arrived)
	i.arrived = make(chan struct{})
}

// responseRecorder is the http.ResponseWriter given to an interceptor's
// handler.
type responseRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseRecorder) Header() http.Header { return w.header }

func (w *responseRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *responseRecorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// Flush implements http.Flusher; the response is sent when the handler returns.
func (w *responseRecorder) Flush() {}

// finish applies net/http's defaults: status 200 and a sniffed Content-Type.
func (w *responseRecorder) finish() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if _, set := w.header["Content-Type"]; !set && w.body.Len() > 0 {
		w.header.Set("Content-Type", http.DetectContentType(w.body.Bytes()))
	}
}

// prefix is a parsed Intercept prefix.
type prefix struct {
	scheme string // "http" or "https"
	host   string // lower-case host:port, the port always explicit
	path   string // escaped, at least "/"
}

func parsePrefix(raw string) (prefix, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return prefix{}, err
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		return prefix{}, errors.New("not an http or https URL")
	case u.Hostname() == "":
		return prefix{}, errors.New("no host")
	case u.User != nil:
		return prefix{}, errors.New("userinfo is not allowed")
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return prefix{scheme: scheme, host: hostPort(scheme, u), path: path}, nil
}

func hostPort(scheme string, u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func (p prefix) match(u *url.URL) bool {
	scheme := strings.ToLower(u.Scheme)
	if scheme != p.scheme || hostPort(scheme, u) != p.host {
		return false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if strings.HasSuffix(p.path, "/") {
		return strings.HasPrefix(path, p.path)
	}
	return path == p.path || strings.HasPrefix(path, p.path+"/")
}

func (p prefix) matchString(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && p.match(u)
}

// pattern is the Fetch.enable URL pattern for p's whole origin, spelt as
// Chromium spells URLs (no default port).
func (p prefix) pattern() string {
	host, port, _ := net.SplitHostPort(p.host)
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if (p.scheme == "http" && port != "80") || (p.scheme == "https" && port != "443") {
		host += ":" + port
	}
	return p.scheme + "://" + host + "/*"
}
