package hydra

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// AdminError is a failed call to Hydra's admin API, with Hydra's own error.
type AdminError struct {
	Method     string
	Path       string
	StatusCode int
	// Code and Description are Hydra's error and its description.
	Code        string
	Description string
	// RedirectTo is set when Hydra answers 410 Gone for a login or consent
	// request that was already handled: the browser goes on there.
	RedirectTo string
}

func (e *AdminError) Error() string {
	msg := fmt.Sprintf("hydra: admin API %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// adminClient calls Hydra's admin API with plain net/http and JSON.
type adminClient struct {
	base string
	http *http.Client
}

func newAdminClient(base string) *adminClient {
	return &adminClient{base: base, http: &http.Client{Timeout: 10 * time.Second}}
}

// oauth2Client is the part of Hydra's client object the login app uses.
type oauth2Client struct {
	ClientID     string   `json:"client_id"`
	ClientName   string   `json:"client_name"`
	RedirectURIs []string `json:"redirect_uris"`
	SkipConsent  bool     `json:"skip_consent"`
}

// flowRequest is a login or consent request, as Hydra's admin API shows it.
type flowRequest struct {
	Challenge         string       `json:"challenge"`
	Skip              bool         `json:"skip"`
	Subject           string       `json:"subject"`
	Client            oauth2Client `json:"client"`
	RequestURL        string       `json:"request_url"`
	RequestedScope    []string     `json:"requested_scope"`
	RequestedAudience []string     `json:"requested_access_token_audience"`
}

type redirectTo struct {
	RedirectTo string `json:"redirect_to"`
}

type acceptLogin struct {
	Subject  string `json:"subject"`
	Remember bool   `json:"remember"`
}

type acceptConsent struct {
	GrantScope    []string       `json:"grant_scope"`
	GrantAudience []string       `json:"grant_access_token_audience"`
	Remember      bool           `json:"remember"`
	Session       consentSession `json:"session"`
}

// consentSession holds the claims Hydra adds to the tokens it issues.
type consentSession struct {
	AccessToken map[string]any `json:"access_token,omitempty"`
	IDToken     map[string]any `json:"id_token,omitempty"`
}

type rejectRequest struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	StatusCode  int    `json:"status_code"`
}

// introspection is Hydra's RFC 7662 answer.
type introspection struct {
	Active   bool           `json:"active"`
	Subject  string         `json:"sub"`
	Scope    string         `json:"scope"`
	ClientID string         `json:"client_id"`
	Expires  int64          `json:"exp"`
	TokenUse string         `json:"token_use"` // "access_token" or "refresh_token"
	Ext      map[string]any `json:"ext"`
}

func (a *adminClient) loginRequest(ctx context.Context, challenge string) (*flowRequest, error) {
	var r flowRequest
	q := url.Values{"login_challenge": {challenge}}
	return &r, a.do(ctx, http.MethodGet, "/admin/oauth2/auth/requests/login", q, nil, &r)
}

func (a *adminClient) acceptLogin(ctx context.Context, challenge string, body acceptLogin) (string, error) {
	var r redirectTo
	q := url.Values{"login_challenge": {challenge}}
	return r.RedirectTo, a.do(ctx, http.MethodPut, "/admin/oauth2/auth/requests/login/accept", q, body, &r)
}

func (a *adminClient) consentRequest(ctx context.Context, challenge string) (*flowRequest, error) {
	var r flowRequest
	q := url.Values{"consent_challenge": {challenge}}
	return &r, a.do(ctx, http.MethodGet, "/admin/oauth2/auth/requests/consent", q, nil, &r)
}

func (a *adminClient) acceptConsent(ctx context.Context, challenge string, body acceptConsent) (string, error) {
	var r redirectTo
	q := url.Values{"consent_challenge": {challenge}}
	return r.RedirectTo, a.do(ctx, http.MethodPut, "/admin/oauth2/auth/requests/consent/accept", q, body, &r)
}

func (a *adminClient) rejectConsent(ctx context.Context, challenge string, body rejectRequest) (string, error) {
	var r redirectTo
	q := url.Values{"consent_challenge": {challenge}}
	return r.RedirectTo, a.do(ctx, http.MethodPut, "/admin/oauth2/auth/requests/consent/reject", q, body, &r)
}

func (a *adminClient) acceptLogout(ctx context.Context, challenge string) (string, error) {
	var r redirectTo
	q := url.Values{"logout_challenge": {challenge}}
	return r.RedirectTo, a.do(ctx, http.MethodPut, "/admin/oauth2/auth/requests/logout/accept", q, nil, &r)
}

func (a *adminClient) createClient(ctx context.Context, body any) error {
	return a.do(ctx, http.MethodPost, "/admin/clients", nil, body, nil)
}

// introspect asks Hydra about token (RFC 7662).
func (a *adminClient) introspect(ctx context.Context, token string) (*introspection, error) {
	const path = "/admin/oauth2/introspect"
	form := url.Values{"token": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var r introspection
	return &r, a.send(req, path, &r)
}

// do sends in as JSON (when not nil) and decodes the answer into out.
func (a *adminClient) do(ctx context.Context, method, path string, q url.Values, in, out any) error {
	u := a.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.send(req, path, out)
}

func (a *adminClient) send(req *http.Request, path string, out any) error {
	req.Header.Set("Accept", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("hydra: admin API %s %s: %w", req.Method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("hydra: admin API %s %s: reading the answer: %w", req.Method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return adminError(req.Method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("hydra: admin API %s %s: decoding %q: %w", req.Method, path, textcut.Cut(string(b), 200), err)
	}
	return nil
}

// adminError reads Hydra's error body: {"error": "...", "error_description": "..."}
// or {"error": {"status": "...", "message": "...", "reason": "..."}}, or a
// {"redirect_to": "..."} with 410 Gone.
func adminError(method, path string, status int, body []byte) error {
	e := &AdminError{Method: method, Path: path, StatusCode: status}
	var flat struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		RedirectTo  string          `json:"redirect_to"`
	}
	if json.Unmarshal(body, &flat) != nil {
		e.Description = textcut.Cut(strings.TrimSpace(string(body)), 300)
		return e
	}
	e.RedirectTo, e.Description = flat.RedirectTo, flat.Description
	var nested struct {
		Status  string `json:"status"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
	}
	switch {
	case json.Unmarshal(flat.Error, &e.Code) == nil:
	case json.Unmarshal(flat.Error, &nested) == nil:
		e.Code, e.Description = nested.Status, strings.TrimSpace(nested.Message+" "+nested.Reason)
	}
	return e
}

// goneTo returns where the browser goes on when err says the login or
// consent request was already handled.
func goneTo(err error) (string, bool) {
	var ae *AdminError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusGone && ae.RedirectTo != "" {
		return ae.RedirectTo, true
	}
	return "", false
}
