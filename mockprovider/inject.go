package mockprovider

import (
	"maps"
	"net/http"
	"strings"
)

// Response is a canned HTTP answer for [Provider.QueueResponse].
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header is sent as given; without a Content-Type, the body is sent as
	// text/plain.
	Header http.Header
	// Body is sent as it is.
	Body string
}

// injected is one queued answer: an RFC error or a canned response.
type injected struct {
	err  *Error
	resp *Response
}

// QueueError makes the next request to the endpoint at path (one of the
// Path constants, e.g. [PathToken]) answer with e instead of being
// served, once; queued errors are used in order. The error is answered
// as the endpoint answers its own errors: the authorization endpoint
// redirects it to the client with the state (RFC 6749 §4.1.2.1) once the
// client and redirect URI are found valid (a request that fails those
// gets its error page and leaves the queued error for the next one), the token endpoint writes
// RFC 6749 §5.2 JSON (with WWW-Authenticate for invalid_client), the
// resources write RFC 6750 §3 (with a Bearer challenge), the others JSON
// with e.Status. This is how a test drives a client's error paths:
//
//	srv.QueueError(mockprovider.PathToken, mockprovider.ErrInvalidGrant.WithDescription("expired"))
func (p *Provider) QueueError(path string, e *Error) {
	p.queue(path, injected{err: e})
}

// QueueResponse makes the next request to path answer with resp instead
// of being served, once: for answers no conformant provider gives
// (a 502 HTML page, a truncated JSON body).
func (p *Provider) QueueResponse(path string, resp Response) {
	resp.Header = resp.Header.Clone()
	p.queue(path, injected{resp: &resp})
}

func (p *Provider) queue(path string, in injected) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.injected[path] = append(p.injected[path], in)
}

// nextInjected takes the next queued answer for path, if any.
func (p *Provider) nextInjected(path string) (injected, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.injected[path]
	if len(q) == 0 {
		return injected{}, false
	}
	if len(q) == 1 {
		delete(p.injected, path)
	} else {
		p.injected[path] = q[1:]
	}
	return q[0], true
}

// serveInjected answers r with a queued answer and reports whether it
// did. The authorization endpoint takes its queued errors itself (see
// [Provider.authorize]), after checking the client and redirect URI.
func (p *Provider) serveInjected(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path == PathAuthorize && p.hasQueuedError(PathAuthorize) {
		return false
	}
	in, ok := p.nextInjected(r.URL.Path)
	if !ok {
		return false
	}
	p.log.Info("answering with an injected response", "path", r.URL.Path)
	switch {
	case in.resp != nil:
		writeResponse(w, in.resp)
	case r.URL.Path == PathToken:
		p.tokenError(w, quirkSet{}, in.err)
	case strings.HasPrefix(r.URL.Path, "/oauth/api/"):
		p.bearerError(w, in.err, "")
	default:
		writeJSONError(w, in.err)
	}
	return true
}

// hasQueuedError reports whether the next queued answer for path is an
// RFC error.
func (p *Provider) hasQueuedError(path string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.injected[path]
	return len(q) > 0 && q[0].err != nil
}

func writeResponse(w http.ResponseWriter, resp *Response) {
	h := w.Header()
	maps.Copy(h, resp.Header)
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write([]byte(resp.Body))
}
