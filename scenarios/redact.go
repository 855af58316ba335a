package scenarios

import "net/http"

// redactResultLocked passes every text of a finished result through the
// scenario's secrets once more: evidence is redacted as it is recorded,
// but a skip reason or a note written before a secret was known is not.
// The slices are the caller's copies.
func (t *T) redactResultLocked(r *Result) {
	if len(t.secrets) == 0 {
		return
	}
	r.Reason = t.redactLocked(r.Reason)
	for i, n := range r.Notes {
		r.Notes[i] = t.redactLocked(n)
	}
	for i, e := range r.Evidence.Exchanges {
		e.Step = t.redactLocked(e.Step)
		e.Request = t.redactMessageLocked(e.Request)
		if e.Response != nil {
			resp := t.redactMessageLocked(*e.Response)
			e.Response = &resp
		}
		e.Error = t.redactLocked(e.Error)
		r.Evidence.Exchanges[i] = e
	}
	for i, p := range r.Evidence.Pages {
		p.Step, p.URL = t.redactLocked(p.Step), t.redactLocked(p.URL)
		r.Evidence.Pages[i] = p
	}
}

func (t *T) redactMessageLocked(m HTTPMessage) HTTPMessage {
	m.URL, m.Body = t.redactLocked(m.URL), t.redactLocked(m.Body)
	if m.Header != nil {
		h := make(http.Header, len(m.Header))
		for k, vs := range m.Header {
			for _, v := range vs {
				h[k] = append(h[k], t.redactLocked(v))
			}
		}
		m.Header = h
	}
	return m
}
