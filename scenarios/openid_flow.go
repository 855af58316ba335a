package scenarios

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// openIDRequest is an OpenID Connect authentication request (Core
// §3.1.2.1) on top of the primary client's code flow.
type openIDRequest struct {
	// Scopes are added to openid and the target's granted scopes.
	Scopes []string
	// NoNonce leaves nonce out; otherwise a fresh one is sent.
	NoNonce bool
	// Extra parameters, e.g. prompt or max_age.
	Extra url.Values
	nonce string
}

// openIDGrant is what a code flow with scope openid gave.
type openIDGrant struct {
	Auth     *AuthResult
	Response *Response
	IDToken  *IDToken
	Access   string
	Nonce    string
}

// openIDNonce is a fresh nonce with the characters Core §3.1.2.1 lets a
// nonce have that need care in a URL.
func openIDNonce() string { return RandomState() + "-._~" + RandomState() }

// openIDAuthRequest builds the browser's authorization request.
func openIDAuthRequest(t *T, r openIDRequest) AuthRequest {
	scopes := []string{"openid"}
	for _, s := range slices.Concat(t.Spec.Scopes.Granted, r.Scopes) {
		if s != "" && !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	extra := url.Values{}
	for k, v := range r.Extra {
		extra[k] = slices.Clone(v)
	}
	if r.nonce != "" {
		extra.Set("nonce", r.nonce)
	}
	return AuthRequest{Scope: strings.Join(scopes, " "), Extra: extra}
}

// openIDFlow signs in through the browser with scope openid, exchanges
// the code with the suite's own probe and decodes the id_token without
// trusting it: each scenario judges only its own rule.
func openIDFlow(t *T, r openIDRequest) *openIDGrant {
	if !r.NoNonce {
		r.nonce = openIDNonce()
	}
	req := openIDAuthRequest(t, r)
	code, res := t.Code(req)
	c := t.Spec.Primary()
	resp := t.ExchangeCode("token request", c, code, c.RedirectURI, "")
	at := t.requireTokenResponse("token request", resp)
	raw := resp.String("id_token")
	t.Check(raw != "", "the token response to scope openid has no id_token (Core §3.1.3.3): %s", resp.Brief())
	tok, err := ParseIDToken(raw)
	t.Check(err == nil, "%v", err)
	return &openIDGrant{Auth: res, Response: resp, IDToken: tok, Access: at, Nonce: r.nonce}
}

// openIDConfig fetches the provider's OpenID configuration; the
// scenario fails when it cannot be used (oidc/discovery says why).
func openIDConfig(t *T) *OpenIDConfiguration {
	u := DiscoveryURL(t.Spec.Issuer)
	r := t.Get("discovery", u, nil)
	t.Check(r.Status == http.StatusOK, "discovery: GET %s answered %s", u, r.Brief())
	cfg, err := ParseOpenIDConfiguration(r.Body)
	t.Check(err == nil, "discovery: %v", err)
	return cfg
}

// fetchJWKS reads the provider's JWK Set from jwks_uri.
func fetchJWKS(t *T, cfg *OpenIDConfiguration) *jose.JSONWebKeySet {
	t.Check(cfg.JWKSURI != "", "discovery names no jwks_uri (Discovery §3: REQUIRED)")
	r := t.Get("JWKS", cfg.JWKSURI, nil)
	t.Check(r.Status == http.StatusOK, "jwks_uri %s answered %s", cfg.JWKSURI, r.Brief())
	set, err := ParseJWKS(r.Body)
	t.Check(err == nil, "jwks_uri %s: %v", cfg.JWKSURI, err)
	return set
}

// providerTime is the provider's clock when it sent r: its Date header
// (RFC 9110 §6.6.1), so that a provider on a virtual clock is judged by
// its own time. Without one the suite's clock is used, with a note.
func providerTime(t *T, r *Response) time.Time {
	if d, err := http.ParseTime(r.Header.Get("Date")); err == nil {
		return d
	}
	t.Notef("the token response has no Date header; the suite's own clock is used")
	return time.Now()
}

// userinfoURLOrEmpty is the target's userinfo_url override, else the
// discovered userinfo_endpoint.
func userinfoURLOrEmpty(t *T, cfg *OpenIDConfiguration) string {
	if t.Spec.UserinfoURL != "" {
		return t.Spec.UserinfoURL
	}
	return cfg.UserinfoEndpoint
}

// userinfoURL is where UserInfo is; the scenario is skipped without one.
func userinfoURL(t *T, cfg *OpenIDConfiguration) string {
	u := userinfoURLOrEmpty(t, cfg)
	if u == "" {
		t.Skipf("the provider advertises no userinfo_endpoint and the target names no userinfo_url")
	}
	return u
}

// userinfo asks UserInfo for the access token's claims by GET or POST
// with the bearer header (Core §5.3.1) and checks the answer is a JSON
// object with sub (Core §5.3.2).
func userinfo(t *T, cfg *OpenIDConfiguration, method, accessToken string) map[string]any {
	u := userinfoURL(t, cfg)
	step := "UserInfo by " + method
	req, err := http.NewRequest(method, u, nil)
	t.Check(err == nil, "%s: bad URL %q: %v", step, u, err)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Body, req.ContentLength = http.NoBody, 0
	}
	r := t.Do(step, req)
	t.Check(r.Status == http.StatusOK, "%s answered %s (Core §5.3.1: GET and POST MUST be supported)", step, r.Brief())
	ct := r.Header.Get("Content-Type")
	t.Check(isJSON(ct), "%s: Content-Type is %q, not application/json (Core §5.3.2)", step, ct)
	info := r.JSON()
	t.Check(info != nil, "%s: the body is not a JSON object: %s", step, r.Brief())
	sub, _ := info["sub"].(string)
	t.Check(sub != "", "%s: the answer has no sub (Core §5.3.2: MUST be returned)", step)
	return info
}

// requireSession checks that a sign-in left a session: a second request
// shows no login page. Without one, prompt and max_age cannot be told
// apart from a fresh sign-in, and the scenario is skipped.
func requireSession(t *T, what string) {
	res := t.Authorize(openIDAuthRequest(t, openIDRequest{}))
	if res.LoginShown {
		t.Skipf("the provider keeps no sign-in session (a second request asked to sign in again), so %s cannot be judged", what)
	}
}

// ageSession lets the provider's clock run d past the sign-in: the
// target's clock when it can be moved, else real time.
func ageSession(t *T, d time.Duration) {
	if t.Spec.Lacks(providerspec.Clock) == "" {
		t.Advance(d)
		return
	}
	select {
	case <-time.After(d):
	case <-t.Context().Done():
	}
}

// requireEndSession is the advertised end_session_endpoint; the
// scenario is skipped without one.
func requireEndSession(t *T, cfg *OpenIDConfiguration) string {
	if cfg.EndSessionEndpoint == "" {
		t.Skipf("the provider advertises no end_session_endpoint (RP-Initiated Logout §2.1)")
	}
	return cfg.EndSessionEndpoint
}

// logoutURL is an RP-Initiated Logout request (§2) for the grant's
// session.
func logoutURL(t *T, endSession string, g *openIDGrant, postLogout string) string {
	q := url.Values{"id_token_hint": {g.IDToken.Raw}, "client_id": {t.Spec.Primary().ID}, "post_logout_redirect_uri": {postLogout}}
	sep := "?"
	if strings.Contains(endSession, "?") {
		sep = "&"
	}
	return endSession + sep + q.Encode()
}

// hitAt is the first request since mark that reached origin, or nil.
func hitAt(t *T, mark int, origin string) *url.URL {
	for _, h := range t.hitsSince(mark) {
		if originOf(h.String()) == origin {
			return h
		}
	}
	return nil
}

// sameJSON compares a claim with an expected value as JSON values.
func sameJSON(got, want any) bool {
	a, err1 := json.Marshal(got)
	b, err2 := json.Marshal(want)
	if err1 != nil || err2 != nil {
		return false
	}
	var x, y any
	_ = json.Unmarshal(a, &x)
	_ = json.Unmarshal(b, &y)
	return reflect.DeepEqual(x, y)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
