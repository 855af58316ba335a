package scenarios

import (
	"net/http"
	"slices"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// scopeScenarios are the checks of area scope.
var scopeScenarios = []Scenario{
	{ID: "scope/granted", Level: MUST, RFC: "RFC 6749 §3.3, §5.1",
		Description: "a request for the registered scope is granted and the token works at the resource",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: scopeGranted},
	{ID: "scope/unknown", Level: MUST, RFC: "RFC 6749 §3.3, §4.1.2.1, §5.1",
		Description: "an unknown scope gives invalid_scope with the state, or a reduced grant that the token response reports",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: scopeUnknown},
	{ID: "scope/omitted", Level: MUST, RFC: "RFC 6749 §3.3",
		Description: "a request without scope is processed with a default scope or refused with invalid_scope",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: scopeOmitted},
	{ID: "scope/reported-when-different", Level: MUST, RFC: "RFC 6749 §5.1",
		Description: "when the granted scope differs from the requested one (none requested), the token response carries scope",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: scopeReported},
	{ID: "scope/consent-denied", Level: MUST, RFC: "RFC 6749 §4.1.2.1",
		Description: "denying consent redirects error=access_denied with the state and no code",
		Needs:       []providerspec.Capability{NeedBrowser, NeedConsent}, Run: consentDenied},
	{ID: "scope/whitespace-duplicates", Level: SHOULD, RFC: "RFC 6749 §3.3",
		Description: "a scope with a repeated token and doubled spaces is normalised or refused with invalid_scope, never mis-granted",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: scopeWhitespace},
	{ID: "scope/insufficient", Level: MUST, RFC: "RFC 6750 §3.1",
		Description: "a token without the scope a resource needs is refused there (403 insufficient_scope)",
		Needs:       []providerspec.Capability{NeedBrowser, NeedResource}, Run: scopeInsufficient},
}

func scopeGranted(t *T) {
	r := t.Tokens(AuthRequest{})
	at := r.String("access_token")
	if s, ok := r.JSON()["scope"].(string); ok {
		for _, want := range t.Spec.Scopes.Granted {
			t.Check(slices.Contains(strings.Fields(s), want), "the token response grants scope %q, without the requested %q", s, want)
		}
	}
	me := t.Me("resource request", "Bearer "+at)
	t.Check(me.Status == http.StatusOK, "the resource refused the new token: %s", me.Brief())
}

func scopeUnknown(t *T) {
	scope := strings.Join(append(slices.Clone(t.Spec.Scopes.Granted), t.Spec.Scopes.Unknown), " ")
	res := t.Authorize(AuthRequest{Scope: scope})
	if res.Callback == nil {
		t.Fatalf("the provider did not redirect back (RFC 6749 §4.1.2.1 wants invalid_scope at the redirect URI): %s", brief(res.FinalText))
	}
	if e := res.Param("error"); e != "" {
		t.Check(e == "invalid_scope", "the provider answered error=%s, expected invalid_scope", e)
		t.Check(res.Param("state") == res.State, "the error came back with state %q, sent %q", res.Param("state"), res.State)
		t.Passf("refused with invalid_scope and the state")
	}
	code := res.Param("code")
	t.Check(code != "", "the callback carries neither code nor error")
	t.Secret(code)
	r := t.ExchangeCode("token request", t.Spec.Primary(), code, t.Spec.Primary().RedirectURI, "")
	t.requireTokenResponse("token request", r)
	granted, ok := r.JSON()["scope"].(string)
	if !ok {
		t.Fatalf("the provider granted a token for %q without a scope field: it must say what it granted when it differs (RFC 6749 §5.1)", scope)
	}
	t.Check(!slices.Contains(strings.Fields(granted), t.Spec.Scopes.Unknown), "the provider granted the unknown scope %q: %q", t.Spec.Scopes.Unknown, granted)
	t.Notef("granted a reduced scope %q and said so", granted)
}

func scopeOmitted(t *T) {
	res := t.Authorize(AuthRequest{OmitScope: true})
	if res.Callback == nil {
		t.Fatalf("the provider did not redirect back: %s", brief(res.FinalText))
	}
	if e := res.Param("error"); e != "" {
		t.Check(e == "invalid_scope", "the provider answered error=%s; RFC 6749 §3.3 allows a default scope or invalid_scope", e)
		t.Passf("refused with invalid_scope (no default scope)")
	}
	code := res.Param("code")
	t.Check(code != "", "the callback carries neither code nor error")
	t.Secret(code)
	r := t.ExchangeCode("token request", t.Spec.Primary(), code, t.Spec.Primary().RedirectURI, "")
	t.requireTokenResponse("token request", r)
	t.Notef("processed with a default scope %q", r.String("scope"))
}

func scopeReported(t *T) {
	res := t.Authorize(AuthRequest{OmitScope: true})
	if res.Callback == nil || res.Param("error") != "" {
		t.Skipf("the provider has no default scope (it refused the request without scope)")
	}
	code := res.Param("code")
	t.Secret(code)
	r := t.ExchangeCode("token request", t.Spec.Primary(), code, t.Spec.Primary().RedirectURI, "")
	t.requireTokenResponse("token request", r)
	granted, ok := r.JSON()["scope"].(string)
	if !ok {
		t.Fatalf("no scope was requested, yet the token response does not say which scope was granted (RFC 6749 §5.1)")
	}
	t.Notef("the default grant is reported: scope %q", granted)
}

func consentDenied(t *T) {
	res := t.Authorize(AuthRequest{Deny: true})
	if !res.ConsentShown {
		t.Skipf("the provider showed no consent page to deny")
	}
	if res.Callback == nil {
		t.Fatalf("after the user denied consent the provider did not redirect back: %s", brief(res.FinalText))
	}
	t.Check(res.Param("code") == "", "the provider issued a code although the user denied consent")
	t.Check(res.Param("error") == "access_denied", "expected error=access_denied, got error=%q", res.Param("error"))
	t.Check(res.Param("state") == res.State, "the error came back with state %q, sent %q", res.Param("state"), res.State)
}

func scopeWhitespace(t *T) {
	if len(t.Spec.Scopes.Granted) == 0 {
		t.Skipf("the target names no granted scope (scopes.granted)")
	}
	s := t.Spec.Scopes.Granted[0]
	res := t.Authorize(AuthRequest{Scope: s + "  " + s})
	if res.Callback == nil {
		t.Fatalf("the provider did not redirect back for scope %q: %s", s+"  "+s, brief(res.FinalText))
	}
	if e := res.Param("error"); e != "" {
		t.Check(e == "invalid_scope" || e == "invalid_request", "the provider answered error=%s", e)
		t.Passf("refused the malformed scope with %s", e)
	}
	code := res.Param("code")
	t.Secret(code)
	r := t.ExchangeCode("token request", t.Spec.Primary(), code, t.Spec.Primary().RedirectURI, "")
	t.requireTokenResponse("token request", r)
	if granted, ok := r.JSON()["scope"].(string); ok {
		t.Check(strings.Join(strings.Fields(granted), " ") == granted, "the granted scope %q has empty tokens", granted)
		t.Notef("normalised to %q", granted)
	}
}

func scopeInsufficient(t *T) {
	res := t.Spec.Resource
	r := t.Tokens(AuthRequest{Scope: res.Without})
	at := r.String("access_token")
	if s, ok := r.JSON()["scope"].(string); ok && slices.Contains(strings.Fields(s), res.Scope) {
		t.Skipf("asked for scope %q, the provider granted %q anyway", res.Without, s)
	}
	got := t.Get("resource request without the scope", res.URL, http.Header{"Authorization": {"Bearer " + at}})
	t.Check(got.Status >= 400, "the resource %s answered %s to a token without scope %s", res.URL, got.Brief(), res.Scope)
	if got.Status != http.StatusForbidden || !strings.Contains(got.Header.Get("WWW-Authenticate"), "insufficient_scope") {
		t.Notef("refused, but with %d and WWW-Authenticate %q rather than 403 insufficient_scope (RFC 6750 §3.1 SHOULD)", got.Status, got.Header.Get("WWW-Authenticate"))
	}
}
