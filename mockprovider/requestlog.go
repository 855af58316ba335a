package mockprovider

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

func (p *Provider) record(r *http.Request, w *recordingWriter) {
	if strings.HasPrefix(r.URL.Path, "/_mock/") || r.URL.Path == HealthPath {
		return
	}
	rec := RequestRecord{
		Time:     p.clock.Now(),
		Method:   r.Method,
		Path:     clipValue(r.URL.Path),
		Query:    redactValues(r.URL.Query()),
		Form:     redactValues(r.PostForm),
		Status:   w.status,
		Location: clipValue(redactLocation(w.Header().Get("Location"))),
	}
	if h := r.Header.Get("Authorization"); h != "" {
		// Keep the scheme only when there is one: a header without a space
		// is all credential.
		if scheme, value, ok := strings.Cut(h, " "); ok {
			rec.Authorization = textcut.Cut(scheme, 20) + " " + Redact(value)
		} else {
			rec.Authorization = Redact(h)
		}
		if len(rec.Authorization) > maxLoggedValue {
			rec.Authorization = clipValue(rec.Authorization)
		}
	}
	p.reqLog.add(rec)
}

// Requests returns the request log, oldest first: the last requests, as
// many as [Limits.Requests] (the control API's own requests and the
// health checks are not logged). Long values are clipped.
func (p *Provider) Requests() []RequestRecord { return p.reqLog.page(0, 0) }

// Bounds of the request log: it keeps the last DefaultRequestLogSize
// records, and long values are cut, so that a client hammering the
// provider or sending a huge query cannot grow its memory.
const (
	// DefaultRequestLogSize is how many requests the log keeps.
	DefaultRequestLogSize = 1000
	// maxLoggedValue is the longest value kept in a record, in runes.
	maxLoggedValue = 256
	// maxLoggedParams is how many parameters of a query or form a record
	// keeps (in name order); the rest are counted under "…".
	maxLoggedParams = 32
	// maxLoggedValuesPerParam is how many values of one parameter are kept.
	maxLoggedValuesPerParam = 4
	// maxLoggedBytes bounds the names and values kept of one query or
	// form, so that a record stays small whatever the request.
	maxLoggedBytes = 4096
)

// omittedParams is the record key counting the parameters left out.
const omittedParams = "…"

// requestLog is a ring of the last requests. Seq numbers keep counting
// across evictions, so a reader can page with "after".
type requestLog struct {
	mu      sync.Mutex
	records []RequestRecord // ring, len <= capacity
	next    int             // index the next record goes to once full
	seq     int             // Seq of the last record added
}

func newRequestLog(capacity int) *requestLog {
	return &requestLog{records: make([]RequestRecord, 0, max(capacity, 1))}
}

// add appends rec, dropping the oldest record when the log is full, and
// returns the Seq it was given.
func (l *requestLog) add(rec RequestRecord) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	rec.Seq = l.seq
	if len(l.records) < cap(l.records) {
		l.records = append(l.records, rec)
		return rec.Seq
	}
	l.records[l.next] = rec
	l.next = (l.next + 1) % len(l.records)
	return rec.Seq
}

// page returns up to limit records with Seq > after, oldest first; limit
// <= 0 means all of them.
func (l *requestLog) page(after, limit int) []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]RequestRecord, 0, min(len(l.records), max(limit, 0)))
	for i := range l.records {
		rec := l.records[(l.next+i)%len(l.records)]
		if rec.Seq <= after {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, rec)
	}
	return out
}

// clear forgets every record; Seq numbers restart at 1.
func (l *requestLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.records)
	l.records = l.records[:0]
	l.next, l.seq = 0, 0
}

// clipValue cuts s to maxLoggedValue runes, saying how long it was.
func clipValue(s string) string {
	if utf8.RuneCountInString(s) <= maxLoggedValue {
		return s
	}
	n := 0
	for i := range s {
		if n == maxLoggedValue {
			return s[:i] + fmt.Sprintf("…[%d bytes]", len(s))
		}
		n++
	}
	return s
}

// clipParams keeps the parameters in name order, at most
// maxLoggedParams of them with at most maxLoggedValuesPerParam values each
// and maxLoggedBytes in all; each value passes through redact (which
// replaces secrets and clips the rest). What is left out is counted under
// the key "…".
func clipParams(v map[string][]string, redact func(name, value string) string) map[string][]string {
	if len(v) == 0 {
		return nil
	}
	out := make(map[string][]string, min(len(v), maxLoggedParams+1))
	budget := maxLoggedBytes
	names := slices.Sorted(maps.Keys(v))
	for i, name := range names {
		if i == maxLoggedParams || budget <= 0 {
			out[omittedParams] = []string{fmt.Sprintf("%d more parameters", len(names)-i)}
			break
		}
		key := clipValue(name)
		budget -= len(key)
		vs := v[name]
		kept := make([]string, 0, min(len(vs), maxLoggedValuesPerParam+1))
		for j, value := range vs {
			if j == maxLoggedValuesPerParam || budget <= 0 {
				kept = append(kept, fmt.Sprintf("…[%d more values]", len(vs)-j))
				break
			}
			value = redact(name, value)
			budget -= len(value)
			kept = append(kept, value)
		}
		out[key] = kept
	}
	return out
}
