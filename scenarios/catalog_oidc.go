package scenarios

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// oidcScenarios are the checks of area oidc: OpenID Connect Core 1.0,
// Discovery 1.0, RP-Initiated Logout 1.0 and RFC 9207 on top of the code
// flow. Each id_token claim is judged by its own scenario on the decoded
// token, so that a bad signature fails oidc/id-token-signature only.
var oidcScenarios = []Scenario{
	{ID: "oidc/discovery", Level: MUST, RFC: "OIDC Discovery §3, §4.2, §4.3",
		Description: "the OpenID configuration is JSON with the required metadata, and its issuer is identical to the issuer it was fetched for",
		Needs:       []providerspec.Capability{NeedOpenID}, Run: oidcDiscovery},
	{ID: "oidc/jwks", Level: MUST, RFC: "OIDC Core §10.1, RFC 7517 §5",
		Description: "jwks_uri answers a JWK Set whose keys go-jose reads, with no private or symmetric key material",
		Needs:       []providerspec.Capability{NeedOpenID}, Run: oidcJWKS},
	{ID: "oidc/id-token-signature", Level: MUST, RFC: "OIDC Core §3.1.3.7 #6-8, §10.1",
		Description: "the id_token is signed with an advertised alg (never none) by the JWKS key its kid names, and the signature verifies",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: idTokenSignature},
	{ID: "oidc/id-token-iss", Level: MUST, RFC: "OIDC Core §3.1.3.7 #2",
		Description: "the id_token's iss is exactly the discovered issuer",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: idTokenIssuer},
	{ID: "oidc/id-token-aud", Level: MUST, RFC: "OIDC Core §3.1.3.7 #3-5",
		Description: "the id_token's aud contains the client id; with several audiences azp is the client id",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: idTokenAudience},
	{ID: "oidc/id-token-sub", Level: MUST, RFC: "OIDC Core §2",
		Description: "the id_token's sub is at most 255 ASCII characters and the same in a second authorization's id_token",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: idTokenSubject},
	{ID: "oidc/id-token-times", Level: MUST, RFC: "OIDC Core §2, §3.1.3.7 #9-10",
		Description: "the id_token's exp is after iat and after the provider's time, and iat is not in the future",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: idTokenTimes},
	{ID: "oidc/nonce-echoed", Level: MUST, RFC: "OIDC Core §3.1.2.1, §3.1.3.7 #11",
		Description: "the nonce sent in the authentication request comes back identical in the id_token",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: nonceEchoed},
	{ID: "oidc/nonce-absent", Level: MUST, RFC: "OIDC Core §3.1.2.1, §2",
		Description: "a code-flow request without nonce succeeds and its id_token carries no nonce",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: nonceAbsent},
	{ID: "oidc/at-hash", Level: MUST, RFC: "OIDC Core §3.1.3.6, §3.1.3.8",
		Description: "an at_hash in the id_token is the left half of the access token's hash (absent is allowed in the code flow)",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: atHash},
	{ID: "oidc/userinfo-get", Level: MUST, RFC: "OIDC Core §5.3.1, §5.3.2",
		Description: "UserInfo answers GET with an Authorization: Bearer header: a JSON object with sub",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: func(t *T) { userinfoMethod(t, http.MethodGet) }},
	{ID: "oidc/userinfo-post", Level: MUST, RFC: "OIDC Core §5.3.1, §5.3.2",
		Description: "UserInfo answers POST with an Authorization: Bearer header: a JSON object with sub",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: func(t *T) { userinfoMethod(t, http.MethodPost) }},
	{ID: "oidc/userinfo-sub", Level: MUST, RFC: "OIDC Core §5.3.2",
		Description: "UserInfo's sub is the id_token's sub",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: userinfoSub},
	{ID: "oidc/userinfo-no-token", Level: MUST, RFC: "OIDC Core §5.3.3, RFC 6750 §3",
		Description: "UserInfo without an access token answers 401 with WWW-Authenticate: Bearer",
		Needs:       []providerspec.Capability{NeedOpenID}, Run: userinfoNoToken},
	{ID: "oidc/scope-claims", Level: SHOULD, RFC: "OIDC Core §5.4, §5.1",
		Description: "with scope openid email, UserInfo or the id_token has email, and every claim the target expects has its value",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: scopeClaims},
	{ID: "oidc/prompt-none-login-required", Level: MUST, RFC: "OIDC Core §3.1.2.1, §3.1.2.6",
		Description: "prompt=none without a session shows no page and redirects error=login_required to the redirect URI",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: promptNoneLoginRequired},
	{ID: "oidc/prompt-login", Level: MUST, RFC: "OIDC Core §3.1.2.1",
		Description: "prompt=login with a session asks the user to sign in again (or answers login_required)",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: promptLogin},
	{ID: "oidc/max-age", Level: MUST, RFC: "OIDC Core §3.1.2.1, §2",
		Description: "max_age=1 on a session 2 s old asks the user to sign in again, and the id_token's auth_time is the new sign-in's",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: maxAge},
	{ID: "oidc/refresh-keeps-sub", Level: MUST, RFC: "OIDC Core §12.2",
		Description: "an id_token returned by a refresh has the original sub and aud",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser, NeedRefresh}, Run: refreshKeepsSub},
	{ID: "oidc/iss-parameter", Level: MUST, RFC: "RFC 9207 §2, §3",
		Description: "when advertised, authorization responses (success and error) carry iss equal to the issuer",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: issParameter},
	{ID: "oidc/logout-unregistered-redirect", Level: MUST, RFC: "OIDC RP-Initiated Logout §2, §3",
		Description: "end session with an unregistered post_logout_redirect_uri never sends the browser there",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: logoutUnregistered},
	{ID: "oidc/logout-registered-redirect", Level: SHOULD, RFC: "OIDC RP-Initiated Logout §2, §3",
		Description: "end session with id_token_hint and a registered post_logout_redirect_uri ends the session and redirects there with the state",
		Needs:       []providerspec.Capability{NeedOpenID, NeedBrowser}, Run: logoutRegistered},
}

func oidcDiscovery(t *T) {
	issuer := t.Spec.Issuer
	r := t.Get("discovery", DiscoveryURL(issuer), nil)
	t.Check(r.Status == http.StatusOK, "discovery: GET %s answered %s", DiscoveryURL(issuer), r.Brief())
	t.Check(isJSON(r.Header.Get("Content-Type")), "discovery: Content-Type is %q, not application/json (Discovery §4.2)", r.Header.Get("Content-Type"))
	cfg, err := ParseOpenIDConfiguration(r.Body)
	t.Check(err == nil, "discovery: %v", err)
	if p := cfg.Problems(issuer); len(p) > 0 {
		t.Fatalf("discovery: %s", strings.Join(p, "; "))
	}
	t.Notef("algs %s; response_iss_parameter %t; end_session %t", strings.Join(cfg.IDTokenSigningAlgValuesSupported, " "),
		cfg.AuthorizationResponseIssParameterSupported, cfg.EndSessionEndpoint != "")
}

func oidcJWKS(t *T) {
	cfg := openIDConfig(t)
	set := fetchJWKS(t, cfg)
	problems, notes := JWKSProblems(set)
	if len(problems) > 0 {
		t.Fatalf("jwks_uri %s: %s", cfg.JWKSURI, strings.Join(problems, "; "))
	}
	for _, n := range notes {
		t.Notef("%s", n)
	}
	var keys []string
	for _, k := range set.Keys {
		keys = append(keys, strings.Trim(k.KeyID+" "+k.Algorithm, " "))
	}
	t.Notef("%d keys: %s", len(set.Keys), strings.Join(keys, ", "))
}

func idTokenSignature(t *T) {
	cfg := openIDConfig(t)
	g := openIDFlow(t, openIDRequest{})
	set := fetchJWKS(t, cfg)
	kid, err := g.IDToken.VerifySignature(set, cfg.IDTokenSigningAlgValuesSupported, t.Spec.Primary().Secret)
	t.Check(err == nil, "%v", err)
	t.Notef("signed %s with key %q", g.IDToken.Header.Alg, kid)
}

func idTokenIssuer(t *T) {
	cfg := openIDConfig(t)
	g := openIDFlow(t, openIDRequest{})
	err := g.IDToken.CheckIssuerClaim(cfg.Issuer)
	t.Check(err == nil, "%v", err)
}

func idTokenAudience(t *T) {
	g := openIDFlow(t, openIDRequest{})
	note, err := g.IDToken.CheckAudienceClaim(t.Spec.Primary().ID)
	t.Check(err == nil, "%v", err)
	if note != "" {
		t.Notef("%s", note)
	}
}

func idTokenSubject(t *T) {
	first := openIDFlow(t, openIDRequest{})
	err := first.IDToken.CheckSubjectClaim()
	t.Check(err == nil, "%v", err)
	again := openIDFlow(t, openIDRequest{})
	sub, was := again.IDToken.Claims.Subject, first.IDToken.Claims.Subject
	t.Check(sub == was, "the second authorization's sub is %q, the first's %q (Core §2: sub is locally unique and never reassigned)", sub, was)
	t.Notef("sub is %d characters", len(sub))
}

func idTokenTimes(t *T) {
	g := openIDFlow(t, openIDRequest{})
	now := providerTime(t, g.Response)
	err := g.IDToken.CheckTimes(now)
	t.Check(err == nil, "%v", err)
	c := g.IDToken.Claims
	t.Notef("the id_token lives %s (iat to exp)", c.Expiry.Time().Sub(c.IssuedAt.Time()))
}

func nonceEchoed(t *T) {
	g := openIDFlow(t, openIDRequest{})
	err := g.IDToken.CheckNonceClaim(g.Nonce)
	t.Check(err == nil, "%v", err)
}

func nonceAbsent(t *T) {
	g := openIDFlow(t, openIDRequest{NoNonce: true})
	err := g.IDToken.CheckNonceClaim("")
	t.Check(err == nil, "%v", err)
}

func atHash(t *T) {
	g := openIDFlow(t, openIDRequest{})
	if _, err := AccessTokenHash(g.IDToken.Header.Alg, g.Access); err != nil && g.IDToken.AtHash != "" {
		t.Passf("at_hash not judged: alg %q names no hash to compute it with (oidc/id-token-signature judges the alg)", g.IDToken.Header.Alg)
	}
	present, err := g.IDToken.CheckAccessTokenHash(g.Access)
	t.Check(err == nil, "%v", err)
	if !present {
		t.Passf("the id_token has no at_hash (OPTIONAL in the code flow, Core §3.1.3.6)")
	}
	t.Notef("at_hash matches the access token (%s)", hashName(g.IDToken.Header.Alg))
}

func userinfoMethod(t *T, method string) {
	cfg := openIDConfig(t)
	g := openIDFlow(t, openIDRequest{})
	info := userinfo(t, cfg, method, g.Access)
	t.Notef("UserInfo by %s answers sub and %d other claims", method, len(info)-1)
}

func userinfoSub(t *T) {
	cfg := openIDConfig(t)
	g := openIDFlow(t, openIDRequest{})
	info := userinfo(t, cfg, http.MethodGet, g.Access)
	sub, _ := info["sub"].(string)
	t.Check(sub == g.IDToken.Claims.Subject, "UserInfo's sub is %q, the id_token's is %q (Core §5.3.2: they MUST be identical)", sub, g.IDToken.Claims.Subject)
}

func userinfoNoToken(t *T) {
	cfg := openIDConfig(t)
	r := t.Get("UserInfo without a token", userinfoURL(t, cfg), nil)
	expectBearerChallenge(t, "UserInfo without a token", r, "")
}

func scopeClaims(t *T) {
	cfg := openIDConfig(t)
	g := openIDFlow(t, openIDRequest{Scopes: []string{"email"}})
	claims := map[string]any{}
	for k, v := range g.IDToken.All {
		claims[k] = v
	}
	if userinfoURLOrEmpty(t, cfg) != "" {
		for k, v := range userinfo(t, cfg, http.MethodGet, g.Access) {
			claims[k] = v
		}
	}
	email, _ := claims["email"].(string)
	t.Check(email != "", "with scope email neither UserInfo nor the id_token has an email claim (Core §5.4)")
	expected := t.Spec.User.Claims
	if len(expected) == 0 {
		t.Passf("email is %q; the target expects no claim values (user.claims)", email)
	}
	for _, name := range sortedKeys(expected) {
		got, ok := claims[name]
		t.Check(ok, "claim %q is in neither UserInfo nor the id_token; the target expects %v", name, expected[name])
		t.Check(sameJSON(got, expected[name]), "claim %q is %v; the target expects %v", name, got, expected[name])
	}
	t.Notef("checked %d expected claims: %s", len(expected), strings.Join(sortedKeys(expected), ", "))
}

func promptNoneLoginRequired(t *T) {
	res := t.Authorize(openIDAuthRequest(t, openIDRequest{Extra: url.Values{"prompt": {"none"}}}))
	t.Check(!res.LoginShown, "prompt=none showed the sign-in page (Core §3.1.2.1: the OP MUST NOT display authentication pages)")
	t.Check(!res.ConsentShown, "prompt=none showed the consent page (Core §3.1.2.1)")
	t.Check(res.Callback != nil, "prompt=none without a session did not come back to the redirect URI; the browser stopped at %s: %s", t.redact(res.FinalURL), brief(res.FinalText))
	switch e := res.Param("error"); e {
	case "login_required":
	case "interaction_required":
		t.Notef("answered interaction_required rather than the more precise login_required (Core §3.1.2.6)")
	case "":
		t.Fatalf("prompt=none without a session was answered with a code, not error=login_required (Core §3.1.2.6)")
	default:
		t.Fatalf("prompt=none without a session gave error=%s, expected login_required (Core §3.1.2.6)", e)
	}
}

func promptLogin(t *T) {
	openIDFlow(t, openIDRequest{})
	requireSession(t, "prompt=login")
	res := t.Authorize(openIDAuthRequest(t, openIDRequest{Extra: url.Values{"prompt": {"login"}}}))
	if res.Param("error") == "login_required" {
		t.Passf("prompt=login answered login_required (Core §3.1.2.1 allows it when the OP cannot re-authenticate)")
	}
	t.Check(res.LoginShown, "prompt=login with a session did not ask the user to sign in again (Core §3.1.2.1)")
}

func maxAge(t *T) {
	first := openIDFlow(t, openIDRequest{})
	requireSession(t, "max_age")
	ageSession(t, 2*time.Second)
	g := openIDFlow(t, openIDRequest{Extra: url.Values{"max_age": {"1"}}})
	t.Check(g.Auth.LoginShown, "max_age=1 on a session 2 s old did not ask the user to sign in again (Core §3.1.2.1: MUST re-authenticate)")
	at, was := g.IDToken.AuthTime, first.IDToken.AuthTime
	t.Check(at != nil, "the id_token of a request with max_age has no auth_time (Core §2: REQUIRED then)")
	if was != nil {
		t.Check(at.Time().After(was.Time()), "auth_time %s is not after the first sign-in's %s: not the new sign-in's", stamp(at), stamp(was))
		t.Notef("the user signed in again; auth_time moved from %s to %s", stamp(was), stamp(at))
	}
}

func refreshKeepsSub(t *T) {
	g := openIDFlow(t, openIDRequest{Scopes: []string{t.Spec.Scopes.Refresh}, Extra: refreshPrompt(t)})
	rt := g.Response.String("refresh_token")
	t.Check(rt != "", "the token response has no refresh_token: %s", g.Response.Brief())
	c := t.Spec.Primary()
	r := t.Token("refresh", c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	t.requireTokenResponse("refresh", r)
	raw := r.String("id_token")
	if raw == "" {
		t.Passf("the refresh returned no id_token (Core §12.2 allows it)")
	}
	tok, err := ParseIDToken(raw)
	t.Check(err == nil, "the refreshed id_token: %v", err)
	t.Check(tok.Claims.Subject == g.IDToken.Claims.Subject, "the refreshed id_token's sub is %q, the original's %q (Core §12.2: MUST be the same)", tok.Claims.Subject, g.IDToken.Claims.Subject)
	t.Check(slices.Equal(tok.Claims.Audience, g.IDToken.Claims.Audience), "the refreshed id_token's aud is %q, the original's %q (Core §12.2)", []string(tok.Claims.Audience), []string(g.IDToken.Claims.Audience))
	t.Notef("the refresh returned a new id_token with the same sub and aud")
}

func issParameter(t *T) {
	cfg := openIDConfig(t)
	bad := openIDAuthRequest(t, openIDRequest{})
	bad.ResponseType = "unsupported_type"
	errRes := t.Authorize(bad)
	ok := t.Authorize(openIDAuthRequest(t, openIDRequest{}))
	for _, r := range []struct {
		what string
		res  *AuthResult
	}{{"the error response", errRes}, {"the code response", ok}} {
		if r.res.Callback == nil {
			t.Fatalf("%s did not reach the redirect URI; the browser stopped at %s", r.what, t.redact(r.res.FinalURL))
		}
		iss, has := r.res.Param("iss"), r.res.Has("iss")
		switch {
		case has && iss != cfg.Issuer:
			t.Fatalf("%s carries iss=%q, not the issuer %q (RFC 9207 §2)", r.what, iss, cfg.Issuer)
		case !has && cfg.AuthorizationResponseIssParameterSupported:
			t.Fatalf("%s has no iss although discovery advertises authorization_response_iss_parameter_supported (RFC 9207 §2, §3)", r.what)
		}
	}
	if !cfg.AuthorizationResponseIssParameterSupported && !ok.Has("iss") {
		t.Passf("the provider does not advertise RFC 9207 and sends no iss")
	}
}

func logoutUnregistered(t *T) {
	cfg := openIDConfig(t)
	endSession := requireEndSession(t, cfg)
	g := openIDFlow(t, openIDRequest{})
	evil := "https://evil.example/logged-out"
	t.watch("https://evil.example")
	mark := t.hitCount()
	t.Navigate("end session with an unregistered post_logout_redirect_uri", logoutURL(t, endSession, g, evil))
	hits := t.hitsSince(mark)
	for _, h := range hits {
		if h.Host == "evil.example" {
			t.Fatalf("end session redirected to the unregistered %s (RP-Initiated Logout §3: MUST NOT; an open redirector)", t.redact(h.String()))
		}
	}
	t.snapshot("after end session")
	t.Notef("the provider stayed at %s", t.redact(t.Browser().URL()))
}

func logoutRegistered(t *T) {
	cfg := openIDConfig(t)
	endSession := requireEndSession(t, cfg)
	target := t.Spec.Primary().PostLogoutRedirectURI
	if target == "" {
		t.Skipf("the target names no registered post_logout_redirect_uri (clients.primary.post_logout_redirect_uri)")
	}
	g := openIDFlow(t, openIDRequest{})
	t.watch(originOf(target))
	mark := t.hitCount()
	state := RandomState()
	t.Navigate("end session", logoutURL(t, endSession, g, target)+"&state="+url.QueryEscape(state))
	if confirm := t.Spec.Login.LogoutConfirm; t.has(confirm) {
		t.snapshot("logout confirmation")
		t.click("confirm logout", confirm)
	}
	res := hitAt(t, mark, originOf(target))
	if res == nil {
		t.snapshot("after end session")
		text, _ := t.Browser().Text()
		t.Fatalf("end session with the provider's own id_token_hint did not redirect to the registered %s; the browser is at %s: %s",
			target, t.redact(t.Browser().URL()), brief(text))
	}
	t.recordPage("post-logout redirect reached", res.String(), false)
	t.Check(res.Query().Get("state") == state, "the post-logout redirect %s does not carry the state sent (RP-Initiated Logout §3)", t.redact(res.String()))
	after := t.Authorize(openIDAuthRequest(t, openIDRequest{}))
	t.Check(after.LoginShown, "after the logout a new request did not ask the user to sign in: the session survived")
}
