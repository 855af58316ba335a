package scenarios

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// codeScenarios are the checks of area code.
var codeScenarios = []Scenario{
	{ID: "code/exchange", Level: MUST, RFC: "RFC 6749 §4.1.3, §5.1",
		Description: "the code is exchanged for a Bearer access token with expires_in",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: codeExchange},
	{ID: "code/reuse", Level: MUST, RFC: "RFC 6749 §4.1.2",
		Description: "a code exchanged twice is refused the second time with invalid_grant",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: codeReuse},
	{ID: "code/reuse-revokes", Level: SHOULD, RFC: "RFC 6749 §4.1.2",
		Description: "after a code is reused, the refresh token issued for it is revoked",
		Needs:       []providerspec.Capability{NeedBrowser, NeedRefresh}, Run: codeReuseRevokes},
	{ID: "code/expiry", Level: MUST, RFC: "RFC 6749 §4.1.2",
		Description: "a code an hour old is refused with invalid_grant (codes live 10 minutes at most)",
		Needs:       []providerspec.Capability{NeedBrowser, NeedClock}, Run: codeExpiry},
	{ID: "code/client-bound", Level: MUST, RFC: "RFC 6749 §4.1.3",
		Description: "a code issued to one client is refused to another authenticated client",
		Needs:       []providerspec.Capability{NeedBrowser, NeedSecondClient}, Run: codeClientBound},
	{ID: "code/wrong-secret", Level: MUST, RFC: "RFC 6749 §5.2, §2.3.1",
		Description: "a wrong client secret in Basic auth gives 401 invalid_client with WWW-Authenticate",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: codeWrongSecret},
	{ID: "code/auth-basic", Level: MUST, RFC: "RFC 6749 §2.3.1",
		Description: "client_secret_basic authenticates the client (id and secret form-encoded)",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: func(t *T) { codeAuthMethod(t, "client_secret_basic") }},
	{ID: "code/auth-post", Level: MUST, RFC: "RFC 6749 §2.3.1",
		Description: "client_secret_post authenticates the client, or is refused cleanly with invalid_client",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: func(t *T) { codeAuthMethod(t, "client_secret_post") }},
	{ID: "code/state-echoed", Level: MUST, RFC: "RFC 6749 §4.1.2",
		Description: "a state with reserved characters comes back exactly",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: stateEchoed},
	{ID: "code/response-type-missing", Level: MUST, RFC: "RFC 6749 §4.1.1, §4.1.2.1",
		Description: "a request without response_type gets invalid_request, not a code",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: func(t *T) {
			badAuthorizeRequest(t, AuthRequest{OmitResponseType: true}, "invalid_request", "unsupported_response_type")
		}},
	{ID: "code/response-type-unsupported", Level: MUST, RFC: "RFC 6749 §4.1.2.1",
		Description: "an unknown response_type gets unsupported_response_type with the state",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: func(t *T) {
			badAuthorizeRequest(t, AuthRequest{ResponseType: "unsupported_type"}, "unsupported_response_type", "invalid_request")
		}},
	{ID: "code/repeated-parameter", Level: MUST, RFC: "RFC 6749 §3.1",
		Description: "a request with a repeated parameter (response_type twice) gets invalid_request, not a code",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: func(t *T) {
			badAuthorizeRequest(t, AuthRequest{Extra: url.Values{"response_type": {"code"}}}, "invalid_request")
		}},
	{ID: "code/unknown-code", Level: MUST, RFC: "RFC 6749 §5.2",
		Description: "a code the provider never issued gives invalid_grant",
		Run:         unknownCode},
	{ID: "code/unsupported-grant-type", Level: MUST, RFC: "RFC 6749 §5.2",
		Description: "an unknown grant_type gives unsupported_grant_type",
		Run:         unsupportedGrantType},
	{ID: "code/token-get-refused", Level: SHOULD, RFC: "RFC 6749 §3.2",
		Description: "a token request by GET with the parameters in the URL issues no token",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: tokenGetRefused},
	{ID: "code/no-store", Level: MUST, RFC: "RFC 6749 §5.1",
		Description: "token responses carry Cache-Control: no-store and Pragma: no-cache",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: noStore},
	{ID: "code/pkce-s256", Level: MUST, RFC: "RFC 7636 §4.6",
		Description: "a code with an S256 challenge is exchanged with its verifier",
		Needs:       []providerspec.Capability{NeedBrowser, NeedPKCE}, Run: func(t *T) { pkceCase(t, "right") }},
	{ID: "code/pkce-wrong-verifier", Level: MUST, RFC: "RFC 7636 §4.6",
		Description: "a wrong code_verifier gives invalid_grant",
		Needs:       []providerspec.Capability{NeedBrowser, NeedPKCE}, Run: func(t *T) { pkceCase(t, "wrong") }},
	{ID: "code/pkce-missing-verifier", Level: MUST, RFC: "RFC 7636 §4.6, RFC 9700 §2.1.1",
		Description: "a code with a challenge is refused when no code_verifier is sent",
		Needs:       []providerspec.Capability{NeedBrowser, NeedPKCE}, Run: func(t *T) { pkceCase(t, "missing") }},
	{ID: "code/pkce-plain-when-s256", Level: MUST, RFC: "RFC 7636 §4.6, RFC 9700 §4.8.2",
		Description: "the challenge itself sent as verifier (a plain downgrade) is refused when S256 was used",
		Needs:       []providerspec.Capability{NeedBrowser, NeedPKCE}, Run: func(t *T) { pkceCase(t, "plain") }},
	{ID: "code/refresh", Level: MUST, RFC: "RFC 6749 §6",
		Description: "the refresh token gives a new access token that works at the resource",
		Needs:       []providerspec.Capability{NeedBrowser, NeedRefresh}, Run: refresh},
	{ID: "code/refresh-other-client", Level: MUST, RFC: "RFC 6749 §6, §10.4",
		Description: "a refresh token is refused to a client it was not issued to",
		Needs:       []providerspec.Capability{NeedBrowser, NeedRefresh, NeedSecondClient}, Run: refreshOtherClient},
	{ID: "code/refresh-replay-revokes", Level: SHOULD, RFC: "RFC 9700 §4.14.2",
		Description: "a rotated-out refresh token presented again revokes the refresh token that replaced it",
		Needs:       []providerspec.Capability{NeedBrowser, NeedRefresh}, Run: refreshReplayRevokes},
	{ID: "code/clientapp-csrf", Level: MUST, RFC: "RFC 6749 §10.12",
		Description: "the reference client refuses a callback whose state it did not issue, and makes no token request",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: clientappCSRF},
}

func codeExchange(t *T) {
	r := t.Tokens(AuthRequest{})
	t.Check(strings.EqualFold(r.String("token_type"), "bearer"), "token_type is %q, expected Bearer (RFC 6750)", r.String("token_type"))
	if _, ok := r.JSON()["expires_in"].(float64); !ok {
		t.Notef("the token response has no expires_in (RECOMMENDED by RFC 6749 §5.1)")
	}
}

func codeReuse(t *T) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	first := t.ExchangeCode("first exchange", c, code, c.RedirectURI, "")
	t.requireTokenResponse("first exchange", first)
	second := t.ExchangeCode("second exchange", c, code, c.RedirectURI, "")
	t.expectTokenError("second exchange", second, "invalid_grant")
}

// refreshRequest is an authorization request that should yield a refresh
// token. A request for offline_access carries prompt=consent, which
// OpenID Connect Core 1.0 §11 requires of it (an OpenID provider may
// otherwise ignore the scope, as oidc-provider does).
func refreshRequest(t *T) AuthRequest {
	req := AuthRequest{Extra: refreshPrompt(t)}
	if t.Spec.Scopes.Refresh != "" {
		req.Scope = strings.Join(append(append([]string{}, t.Spec.Scopes.Granted...), t.Spec.Scopes.Refresh), " ")
	}
	return req
}

// refreshPrompt is prompt=consent when the target's refresh scope is
// offline_access (OpenID Connect Core 1.0 §11), else nil.
func refreshPrompt(t *T) url.Values {
	if t.Spec.Scopes.Refresh != offlineAccess {
		return nil
	}
	return url.Values{"prompt": {"consent"}}
}

// offlineAccess is the OpenID Connect scope that asks for a refresh token
// (OpenID Connect Core 1.0 §11).
const offlineAccess = "offline_access"

func codeReuseRevokes(t *T) {
	req := refreshRequest(t)
	code, _ := t.Code(req)
	c := t.Spec.Primary()
	first := t.ExchangeCode("first exchange", c, code, c.RedirectURI, "")
	t.requireTokenResponse("first exchange", first)
	rt := first.String("refresh_token")
	if rt == "" {
		t.Skipf("the first exchange gave no refresh token")
	}
	t.ExchangeCode("second exchange (reuse)", c, code, c.RedirectURI, "")
	r := t.Token("refresh with the first exchange's refresh token", c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	if r.Status == http.StatusOK {
		t.Fatalf("the refresh token issued for a reused code still works: the provider did not revoke the tokens (RFC 6749 §4.1.2 SHOULD)")
	}
	t.expectTokenError("refresh after reuse", r, "invalid_grant")
}

func codeExpiry(t *T) {
	code, _ := t.Code(AuthRequest{})
	t.Advance(time.Hour)
	c := t.Spec.Primary()
	r := t.ExchangeCode("exchange an hour later", c, code, c.RedirectURI, "")
	t.expectTokenError("exchange an hour later", r, "invalid_grant")
}

func codeClientBound(t *T) {
	code, _ := t.Code(AuthRequest{})
	r := t.ExchangeCode("exchange by the secondary client", t.Spec.Secondary(), code, t.Spec.Primary().RedirectURI, "")
	t.expectTokenError("exchange by the secondary client", r, "invalid_grant", "unauthorized_client")
}

func codeWrongSecret(t *T) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	auth := ClientAuth{Method: "client_secret_basic", ID: c.ID, Secret: c.Secret + "-wrong"}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {c.RedirectURI}}
	r := t.PostForm("exchange with a wrong secret", t.Spec.TokenURL, form, auth)
	t.expectTokenError("exchange with a wrong secret", r, "invalid_client")
	t.Check(r.Status == http.StatusUnauthorized, "invalid_client for Basic credentials must be 401 (RFC 6749 §5.2), got %d", r.Status)
	t.Check(strings.HasPrefix(strings.ToLower(r.Header.Get("WWW-Authenticate")), "basic"),
		"a 401 for Basic credentials must carry WWW-Authenticate: Basic (RFC 6749 §5.2), got %q", r.Header.Get("WWW-Authenticate"))
}

func codeAuthMethod(t *T, method string) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {c.RedirectURI}}
	r := t.PostForm("exchange with "+method, t.Spec.TokenURL, form, ClientAuth{Method: method, ID: c.ID, Secret: c.Secret})
	if r.Status == http.StatusOK {
		t.requireTokenResponse("exchange with "+method, r)
		return
	}
	if method == "client_secret_post" && r.String("error") == "invalid_client" {
		t.Passf("client_secret_post is refused with invalid_client: the client is registered for another method (RFC 6749 §2.3.1 makes it optional)")
	}
	if method == "client_secret_basic" && c.AuthMethod != "" && c.AuthMethod != method && r.String("error") == "invalid_client" {
		t.Passf("the primary client is registered for %s and Basic is refused with invalid_client", c.AuthMethod)
	}
	t.Fatalf("the token endpoint refused %s: %s", method, r.Brief())
}

func stateEchoed(t *T) {
	state := "a b/c?d=e&f+g~%25" + RandomState()[:6]
	res := t.Authorize(AuthRequest{State: state})
	if res.Callback == nil {
		t.Fatalf("the browser never reached the redirect URI: %s", brief(res.FinalText))
	}
	t.Check(res.Has("state"), "the callback has no state (RFC 6749 §4.1.2: REQUIRED if sent)")
	t.Check(res.Param("state") == state, "state came back as %q, sent %q", res.Param("state"), state)
}

// badAuthorizeRequest checks that a malformed authorization request gets
// one of the error codes at the redirect URI with the state, or a page
// without redirect, and never a code.
func badAuthorizeRequest(t *T, req AuthRequest, codes ...string) {
	res := t.Authorize(req)
	for _, hit := range res.Hits {
		t.Check(hit.Query().Get("code") == "", "the provider issued a code for a malformed request: %s", t.redact(hit.String()))
	}
	if res.Callback == nil {
		t.Passf("refused with a page, without redirecting: %s", brief(res.FinalText))
	}
	e := res.Param("error")
	ok := false
	for _, c := range codes {
		ok = ok || e == c
	}
	t.Check(ok, "expected error=%s, got error=%q", strings.Join(codes, " or "), e)
	t.Check(res.Param("state") == res.State, "the error came back with state %q, sent %q", res.Param("state"), res.State)
}

func unknownCode(t *T) {
	c := t.Spec.Primary()
	r := t.ExchangeCode("exchange of a code never issued", c, "never-issued-"+RandomState(), c.RedirectURI, "")
	t.expectTokenError("exchange of a code never issued", r, "invalid_grant")
}

func unsupportedGrantType(t *T) {
	r := t.Token("unknown grant_type", t.Spec.Primary(), url.Values{"grant_type": {"urn:example:unsupported"}})
	t.expectTokenError("unknown grant_type", r, "unsupported_grant_type")
}

func tokenGetRefused(t *T) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	q := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {c.RedirectURI},
		"client_id": {c.ID}, "client_secret": {c.Secret}}
	sep := "?"
	if strings.Contains(t.Spec.TokenURL, "?") {
		sep = "&"
	}
	r := t.Get("token request by GET", t.Spec.TokenURL+sep+q.Encode(), nil)
	t.Check(r.String("access_token") == "", "the token endpoint issued a token to a GET request with the secret in the URL")
	t.Check(r.Status >= 400, "the token endpoint answered a GET with %s", r.Brief())
	t.Notef("GET refused with %d", r.Status)
}

func noStore(t *T) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	r := t.ExchangeCode("token request", c, code, c.RedirectURI, "")
	t.requireTokenResponse("token request", r)
	cc := strings.ToLower(r.Header.Get("Cache-Control"))
	t.Check(strings.Contains(cc, "no-store"), "the token response has Cache-Control %q, not no-store", r.Header.Get("Cache-Control"))
	t.Check(strings.Contains(strings.ToLower(r.Header.Get("Pragma")), "no-cache"), "the token response has Pragma %q, not no-cache", r.Header.Get("Pragma"))
}

func pkceCase(t *T, kind string) {
	verifier := NewVerifier()
	challenge := S256(verifier)
	code, _ := t.Code(AuthRequest{Challenge: challenge, ChallengeMethod: "S256"})
	c := t.Spec.Primary()
	switch kind {
	case "right":
		r := t.ExchangeCode("exchange with the verifier", c, code, c.RedirectURI, verifier)
		t.requireTokenResponse("exchange with the verifier", r)
	case "wrong":
		r := t.ExchangeCode("exchange with a wrong verifier", c, code, c.RedirectURI, NewVerifier())
		t.expectTokenError("exchange with a wrong verifier", r, "invalid_grant")
	case "missing":
		r := t.ExchangeCode("exchange without verifier", c, code, c.RedirectURI, "")
		t.expectTokenError("exchange without verifier", r, "invalid_grant", "invalid_request")
	case "plain":
		r := t.ExchangeCode("exchange with the challenge as verifier", c, code, c.RedirectURI, challenge)
		t.expectTokenError("exchange with the challenge as verifier", r, "invalid_grant")
	}
}

func refresh(t *T) {
	r := t.Tokens(refreshRequest(t))
	rt := r.String("refresh_token")
	if rt == "" {
		t.Fatalf("the token response has no refresh_token although the target declares refresh")
	}
	c := t.Spec.Primary()
	nr := t.Token("refresh", c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	at := t.requireTokenResponse("refresh", nr)
	me := t.Me("resource request with the refreshed token", "Bearer "+at)
	t.Check(me.Status == http.StatusOK, "the refreshed access token is refused at the resource: %s", me.Brief())
}

// refreshReplayRevokes replays a refresh token after it was rotated out.
// Either an attacker or the client holds a stale copy, and the provider
// cannot tell which: RFC 9700 §4.14.2 has it revoke the whole grant, so
// the refresh token that replaced the replayed one stops working too.
func refreshReplayRevokes(t *T) {
	old := t.Tokens(refreshRequest(t)).String("refresh_token")
	if old == "" {
		t.Fatalf("the token response has no refresh_token although the target declares refresh")
	}
	c := t.Spec.Primary()
	refresh := func(step, rt string) *Response {
		return t.Token(step, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}
	rotated := refresh("refresh", old)
	t.requireTokenResponse("refresh", rotated)
	current := rotated.String("refresh_token")
	if current == "" || current == old {
		t.Passf("the provider does not rotate refresh tokens, so a replay cannot be told from a use (RFC 9700 §4.14.2 allows sender-constrained tokens instead)")
	}
	if refresh("replay of the rotated-out refresh token", old).String("access_token") != "" {
		t.Fatalf("the rotated-out refresh token was accepted again (RFC 9700 §4.14.2)")
	}
	if refresh("refresh with the current refresh token after the replay", current).String("access_token") != "" {
		t.Fatalf("after a rotated-out refresh token was replayed, the refresh token that replaced it still works: the provider did not revoke the grant (RFC 9700 §4.14.2 SHOULD)")
	}
}

func refreshOtherClient(t *T) {
	r := t.Tokens(refreshRequest(t))
	rt := r.String("refresh_token")
	if rt == "" {
		t.Fatalf("the token response has no refresh_token although the target declares refresh")
	}
	nr := t.Token("refresh by the secondary client", t.Spec.Secondary(), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	t.expectTokenError("refresh by the secondary client", nr, "invalid_grant", "unauthorized_client")
}
