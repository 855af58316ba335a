package clientapp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"
)

const (
	testClientID = "test-client"
	testSecret   = "test-secret"
	testRedirect = "http://localhost:8000/authorized"
	testUserJSON = `{"username": "alice", "email": "alice@example.com"}`
)

// fakeProvider is a minimal seed provider for the tests: /oauth/authorize checks the request and
// redirects straight back with a code (the user consents at once), /oauth/token exchanges it,
// checking client authentication and PKCE, /oauth/api/me answers for the tokens it issued.
type fakeProvider struct {
	srv *httptest.Server

	mu          sync.Mutex
	redirectURL string
	codes       map[string]issuedCode // unused codes
	tokens      map[string]bool
	next        int
	tokenCalls  []tokenCall
	meCalls     int
	tokenReply  *reply // when set, /token answers this instead
	meReply     *reply // when set, /me answers this instead
}

type issuedCode struct{ challenge, method string }

type tokenCall struct {
	form       url.Values
	authMethod string // "basic" or "post"
}

type reply struct {
	status      int
	contentType string
	body        string
	header      map[string]string
}

func newFakeProvider(t testing.TB) *fakeProvider {
	t.Helper()
	fp := &fakeProvider{redirectURL: testRedirect, codes: map[string]issuedCode{}, tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/authorize", fp.authorize)
	mux.HandleFunc("POST /oauth/token", fp.token)
	mux.HandleFunc("GET /oauth/api/me", fp.me)
	fp.srv = httptest.NewServer(mux)
	t.Cleanup(fp.srv.Close)
	return fp
}

func (fp *fakeProvider) URL() string { return fp.srv.URL }

func (fp *fakeProvider) setRedirectURL(u string) { fp.mu.Lock(); fp.redirectURL = u; fp.mu.Unlock() }
func (fp *fakeProvider) setTokenReply(r reply)   { fp.mu.Lock(); fp.tokenReply = &r; fp.mu.Unlock() }
func (fp *fakeProvider) setMeReply(r reply)      { fp.mu.Lock(); fp.meReply = &r; fp.mu.Unlock() }

func (fp *fakeProvider) tokenRequests() []tokenCall {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return append([]tokenCall(nil), fp.tokenCalls...)
}

func (fp *fakeProvider) meRequests() int {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return fp.meCalls
}

func (fp *fakeProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fp.mu.Lock()
	defer fp.mu.Unlock()
	switch {
	case q.Get("client_id") != testClientID:
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	case q.Get("redirect_uri") != fp.redirectURL:
		http.Error(w, "redirect_uri mismatch", http.StatusBadRequest) // never redirect
		return
	case q.Get("response_type") != "code":
		http.Error(w, "unsupported_response_type", http.StatusBadRequest)
		return
	}
	fp.next++
	code := fmt.Sprintf("code-%d", fp.next)
	fp.codes[code] = issuedCode{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method")}
	back, _ := url.Parse(fp.redirectURL)
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (fp *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeTokenError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	call := tokenCall{form: r.PostForm, authMethod: "post"}
	id, secret, basic := r.BasicAuth()
	if basic {
		call.authMethod = "basic"
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.tokenCalls = append(fp.tokenCalls, call)
	if fp.tokenReply != nil {
		fp.tokenReply.write(w)
		return
	}
	if id != testClientID || secret != testSecret {
		w.Header().Set("WWW-Authenticate", `Basic realm="fake"`)
		writeTokenError(w, http.StatusUnauthorized, "invalid_client", "bad client credentials")
		return
	}
	code := r.PostForm.Get("code")
	issued, ok := fp.codes[code]
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		writeTokenError(w, http.StatusBadRequest, "unsupported_grant_type", "")
		return
	case !ok:
		writeTokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
		return
	case r.PostForm.Get("redirect_uri") != fp.redirectURL:
		writeTokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs")
		return
	case issued.challenge != "" && oauth2.S256ChallengeFromVerifier(r.PostForm.Get("code_verifier")) != issued.challenge:
		writeTokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		return
	}
	delete(fp.codes, code)
	tok := "tok-" + code
	fp.tokens[tok] = true
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

func (fp *fakeProvider) me(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.meCalls++
	if fp.meReply != nil {
		fp.meReply.write(w)
		return
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !fp.tokens[tok] {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(testUserJSON))
}

// revoke makes /me refuse every token issued so far.
func (fp *fakeProvider) revokeAll() {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	clear(fp.tokens)
}

func (r *reply) write(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header().Set(k, v)
	}
	if r.contentType != "" {
		w.Header().Set("Content-Type", r.contentType)
	}
	w.WriteHeader(r.status)
	_, _ = w.Write([]byte(r.body))
}

func writeTokenError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
