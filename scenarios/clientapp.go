package scenarios

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// clientAppRun is the reference client served in the scenario's browser
// at the origin of the primary client's redirect URI.
type clientAppRun struct {
	home string
	rec  *recordingTransport
}

// clientApp serves the reference client (package clientapp) for the
// primary client, in-process: the browser's requests to the redirect
// URI's origin are answered by it, whatever host and port that is.
func (t *T) clientApp() *clientAppRun {
	p := t.Spec.Primary()
	rec := &recordingTransport{t: t, tokenURL: t.Spec.TokenURL}
	style := oauth2.AuthStyleInHeader
	if p.AuthMethod == "client_secret_post" {
		style = oauth2.AuthStyleInParams
	}
	app, err := clientapp.New(clientapp.Config{
		ClientID:     p.ID,
		ClientSecret: p.Secret,
		AuthURL:      t.Spec.AuthorizeURL,
		TokenURL:     t.Spec.TokenURL,
		MeURL:        t.Spec.MeURL,
		RedirectURL:  p.RedirectURI,
		Scopes:       t.Spec.Scopes.Granted,
		PKCE:         t.Spec.Has(providerspec.PKCE),
		AuthStyle:    style,
		HTTPClient:   &http.Client{Transport: rec, Timeout: t.Timeout()},
	})
	if err != nil {
		t.Fatalf("could not configure the reference client: %v", err)
	}
	t.serve(originOf(p.RedirectURI), app)
	return &clientAppRun{home: app.HomeURL(), rec: rec}
}

// recordingTransport records the client's requests to the provider as
// evidence and counts its token requests.
type recordingTransport struct {
	t        *T
	tokenURL string
	mu       sync.Mutex
	tokens   int
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if strings.HasPrefix(req.URL.String(), r.tokenURL) {
		r.mu.Lock()
		r.tokens++
		r.mu.Unlock()
	}
	t := r.t
	ex := Exchange{Step: "reference client → provider", Request: HTTPMessage{Method: req.Method, URL: t.redact(req.URL.String()),
		Header: t.redactHeader(req.Header), Body: t.redact(truncateBody(body))}}
	resp, err := t.transport.RoundTrip(req)
	if err != nil {
		ex.Error = err.Error()
		t.addExchange(ex)
		return nil, err
	}
	respBody, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	t.harvestSecrets(&Response{Status: resp.StatusCode, Header: resp.Header, Body: respBody})
	ex.Response = &HTTPMessage{Status: resp.StatusCode, Header: t.redactHeader(resp.Header), Body: t.redact(truncateBody(respBody))}
	t.addExchange(ex)
	return resp, nil
}

func (r *recordingTransport) tokenRequests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokens
}

func clientappCSRF(t *T) {
	app := t.clientApp()
	t.Navigate("start signing in at the client", app.home)
	t.snapshot("the provider's page, mid-flow")
	forged := t.Spec.Primary().RedirectURI
	sep := "?"
	if strings.Contains(forged, "?") {
		sep = "&"
	}
	forged += sep + "code=forged-code-" + RandomState()[:8] + "&state=forged-" + RandomState()[:8]
	t.Navigate("an attacker's callback link", forged)
	t.snapshot("what the client shows")
	text, _ := t.Browser().Text()
	t.Check(strings.Contains(strings.ToLower(text), "state mismatch"), "the client did not refuse the forged callback with \"state mismatch\": %s", brief(text))
	t.Check(app.rec.tokenRequests() == 0, "the client sent %d token request(s) for a callback whose state it never issued", app.rec.tokenRequests())
}
