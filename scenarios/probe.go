package scenarios

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// Response is a recorded HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as a JSON object; nil when it is not one.
func (r *Response) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// String returns a JSON field as a string ("" when absent or not a
// string).
func (r *Response) String(field string) string {
	s, _ := r.JSON()[field].(string)
	return s
}

// Brief describes the response in one line for a verdict's reason.
func (r *Response) Brief() string {
	return "HTTP " + strconv.Itoa(r.Status) + " " + textcut.Squash(string(r.Body), 160)
}

const maxEvidenceBody = 8 << 10

// Do sends a request without following redirects, records the exchange
// as evidence and returns the response. A transport error or a timeout
// fails the scenario.
func (t *T) Do(step string, req *http.Request) *Response {
	ctx, cancel := context.WithTimeout(t.ctx, t.Timeout())
	defer cancel()
	req = req.WithContext(ctx)
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	ex := Exchange{Step: step, Request: HTTPMessage{Method: req.Method, URL: t.redact(req.URL.String()),
		Header: t.redactHeader(req.Header), Body: t.redact(truncateBody(reqBody))}}
	client := &http.Client{Transport: t.transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err == nil {
		defer resp.Body.Close()
		var body []byte
		body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if err == nil {
			r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
			t.harvestSecrets(r)
			ex.Response = &HTTPMessage{Status: resp.StatusCode, Header: t.redactHeader(resp.Header), Body: t.redact(truncateBody(body))}
			t.addExchange(ex)
			return r
		}
	}
	ex.Error = err.Error()
	t.addExchange(ex)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("%s: timeout after %s s (%s %s)", step, seconds(t.Timeout()), req.Method, t.redact(req.URL.String()))
	}
	t.Fatalf("%s: %s %s failed: %v", step, req.Method, t.redact(req.URL.String()), err)
	return nil
}

// seconds formats a duration as "10" or "0.3".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64)
}

// truncateBody keeps the first maxEvidenceBody runes of a body.
func truncateBody(b []byte) string {
	s := string(b)
	if short := textcut.Runes(s, maxEvidenceBody); len(short) < len(s) {
		return short + "\n…(truncated)"
	}
	return s
}

func (t *T) addExchange(ex Exchange) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.res.Evidence.Exchanges = append(t.res.Evidence.Exchanges, ex)
}

// harvestSecrets marks tokens found in a response as secrets.
func (t *T) harvestSecrets(r *Response) {
	m := r.JSON()
	for _, k := range []string{"access_token", "refresh_token", "id_token"} {
		if s, ok := m[k].(string); ok {
			t.Secret(s)
		}
	}
}

func (t *T) redactHeader(h http.Header) http.Header {
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			if strings.EqualFold(k, "Authorization") {
				scheme, cred, _ := strings.Cut(v, " ")
				t.Secret(cred)
				v = scheme + " " + t.redact(cred)
				if cred != "" && !strings.Contains(v, "[redacted") {
					v = scheme + " [redacted]"
				}
			} else {
				v = t.redact(v)
			}
			out.Add(k, v)
		}
	}
	return out
}

// Get sends a GET request.
func (t *T) Get(step, rawURL string, header http.Header) *Response {
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatalf("%s: bad URL %q: %v", step, rawURL, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return t.Do(step, req)
}

// PostForm sends a form POST with the given client authentication.
func (t *T) PostForm(step, rawURL string, form url.Values, auth ClientAuth) *Response {
	form = cloneValues(form)
	auth.addToForm(form)
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("%s: bad URL %q: %v", step, rawURL, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	auth.addToHeader(req)
	return t.Do(step, req)
}

// ClientAuth is how a token request authenticates its client.
type ClientAuth struct {
	// Method is client_secret_basic, client_secret_post or none.
	Method string
	ID     string
	Secret string
}

// AuthOf is the client's own authentication, by its auth_method.
func AuthOf(c *providerspec.Client) ClientAuth {
	m := c.AuthMethod
	if m == "" {
		m = "client_secret_basic"
	}
	return ClientAuth{Method: m, ID: c.ID, Secret: c.Secret}
}

// addToForm adds client_secret_post or public-client credentials.
func (a ClientAuth) addToForm(form url.Values) {
	switch a.Method {
	case "client_secret_post":
		form.Set("client_id", a.ID)
		form.Set("client_secret", a.Secret)
	case "none":
		form.Set("client_id", a.ID)
	}
}

// addToHeader adds client_secret_basic credentials, id and secret
// form-encoded first (RFC 6749 §2.3.1).
func (a ClientAuth) addToHeader(req *http.Request) {
	if a.Method == "client_secret_basic" {
		req.SetBasicAuth(url.QueryEscape(a.ID), url.QueryEscape(a.Secret))
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Token sends a token request for the client.
func (t *T) Token(step string, c *providerspec.Client, form url.Values) *Response {
	return t.PostForm(step, t.Spec.TokenURL, form, AuthOf(c))
}

// ExchangeCode redeems a code at the token endpoint (RFC 6749 §4.1.3).
func (t *T) ExchangeCode(step string, c *providerspec.Client, code, redirectURI, verifier string) *Response {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if redirectURI != "" {
		form.Set("redirect_uri", redirectURI)
	}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return t.Token(step, c, form)
}

// Me calls the protected resource with an Authorization header value
// (e.g. "Bearer xyz"); an empty value sends none.
func (t *T) Me(step, authorization string) *Response {
	h := http.Header{}
	if authorization != "" {
		h.Set("Authorization", authorization)
	}
	return t.Get(step, t.Spec.MeURL, h)
}

// requireTokenResponse checks a successful token response and returns
// the access token.
func (t *T) requireTokenResponse(step string, r *Response) string {
	if r.Status != http.StatusOK {
		t.Fatalf("%s: the token endpoint refused: %s", step, r.Brief())
	}
	at := r.String("access_token")
	if at == "" {
		t.Fatalf("%s: the token response has no access_token: %s", step, r.Brief())
	}
	return at
}

// expectTokenError checks an RFC 6749 §5.2 error response with one of the
// codes and returns the code.
func (t *T) expectTokenError(step string, r *Response, codes ...string) string {
	if r.Status >= 200 && r.Status < 300 {
		t.Fatalf("%s: expected error %s, the provider answered %s", step, strings.Join(codes, " or "), r.Brief())
	}
	code := r.String("error")
	for _, c := range codes {
		if code == c {
			return code
		}
	}
	t.Fatalf("%s: expected error %s (RFC 6749 §5.2), got %s", step, strings.Join(codes, " or "), r.Brief())
	return ""
}
