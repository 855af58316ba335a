package scenarios

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// meScenarios are the checks of area me.
var meScenarios = []Scenario{
	{ID: "me/seed-json", Level: MUST, RFC: "RFC 6749 §4.1, RFC 6750 §2.1",
		Description: "the seed's walkthrough: the reference client shows {oauth_token, user}, and that token works with curl's Bearer header",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: seedJSON},
	{ID: "me/bearer-header", Level: MUST, RFC: "RFC 6750 §2.1",
		Description: "the resource answers the signed-in user to Authorization: Bearer <token>",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: bearerHeader},
	{ID: "me/missing-token", Level: MUST, RFC: "RFC 6750 §3, §3.1",
		Description: "a request without a token gets 401 with WWW-Authenticate: Bearer",
		Run:         missingToken},
	{ID: "me/invalid-token", Level: MUST, RFC: "RFC 6750 §3, §3.1",
		Description: "an unknown token gets 401 with WWW-Authenticate error=\"invalid_token\"",
		Run:         invalidToken},
	{ID: "me/expired-token", Level: MUST, RFC: "RFC 6750 §3.1",
		Description: "an access token past its expires_in is refused with invalid_token",
		Needs:       []providerspec.Capability{NeedBrowser, NeedClock}, Run: expiredToken},
	{ID: "me/revoked-after-reuse", Level: SHOULD, RFC: "RFC 6749 §4.1.2, RFC 6750 §3.1",
		Description: "after its code is reused, the first access token is refused at the resource",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: revokedAfterReuse},
	{ID: "me/lowercase-bearer", Level: MUST, RFC: "RFC 9110 §11.1, RFC 6750 §2.1",
		Description: "the auth scheme is case-insensitive: \"bearer <token>\" is accepted",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: lowercaseBearer},
	{ID: "me/query-token", Level: SHOULD, RFC: "RFC 6750 §2.3, RFC 9700 §4.3.2",
		Description: "a token in the query string (?access_token=) is reported: refused, or accepted as RFC 6750 §2.3 allows",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: queryToken},
}

// meUser checks a successful me response and returns the username field.
func meUser(t *T, step string, r *Response) string {
	t.Check(r.Status == http.StatusOK, "%s: the resource answered %s", step, r.Brief())
	field := t.Spec.User.MeField
	name, _ := r.JSON()[field].(string)
	t.Check(name == t.Spec.User.Username, "%s: field %q is %q, expected the signed-in user %q", step, field, name, t.Spec.User.Username)
	return name
}

func seedJSON(t *T) {
	app := t.clientApp()
	t.Navigate("open the client at "+app.home, app.home)
	res := t.continueLogin()
	if !strings.Contains(res.FinalText, "oauth_token") {
		t.Fatalf("the client did not show the seed's JSON; it shows %s: %s", t.redact(res.FinalURL), brief(res.FinalText))
	}
	var page struct {
		Token string          `json:"oauth_token"`
		User  json.RawMessage `json:"user"`
	}
	if err := json.Unmarshal([]byte(res.FinalText), &page); err != nil {
		t.Fatalf("the client's page is not the seed's JSON: %v: %s", err, brief(res.FinalText))
	}
	t.Secret(page.Token)
	var user map[string]any
	t.Check(json.Unmarshal(page.User, &user) == nil, "user is not a JSON object: %s", page.User)
	field := t.Spec.User.MeField
	t.Check(user[field] == t.Spec.User.Username, "user.%s is %v, expected %q", field, user[field], t.Spec.User.Username)
	// The seed's curl line: curl -H "Authorization: Bearer <token>" .../oauth/api/me
	me := t.Me("curl -H \"Authorization: Bearer <oauth_token>\" me_url", "Bearer "+page.Token)
	meUser(t, "the seed's curl call", me)
	t.Notef("the page showed {\"oauth_token\": …, \"user\": %s}", t.redact(string(page.User)))
}

func bearerHeader(t *T) {
	at := t.Tokens(AuthRequest{}).String("access_token")
	meUser(t, "resource request", t.Me("resource request", "Bearer "+at))
}

// expectBearerChallenge checks an RFC 6750 §3 refusal.
func expectBearerChallenge(t *T, step string, r *Response, wantError string) {
	t.Check(r.Status >= 400 && r.Status < 500, "%s: expected 401, got %s", step, r.Brief())
	challenge := r.Header.Get("WWW-Authenticate")
	t.Check(challenge != "", "%s: the %d response has no WWW-Authenticate header (RFC 6750 §3 MUST)", step, r.Status)
	t.Check(strings.HasPrefix(strings.ToLower(challenge), "bearer"), "%s: WWW-Authenticate is %q, not a Bearer challenge", step, challenge)
	if r.Status != http.StatusUnauthorized {
		t.Notef("%s: refused with %d rather than 401 (RFC 6750 §3.1 SHOULD)", step, r.Status)
	}
	if wantError != "" && !strings.Contains(challenge, wantError) {
		t.Notef("%s: the challenge %q does not carry error=%q (RFC 6750 §3.1 SHOULD)", step, challenge, wantError)
	}
}

func missingToken(t *T) {
	r := t.Me("resource request without a token", "")
	expectBearerChallenge(t, "resource request without a token", r, "")
}

func invalidToken(t *T) {
	r := t.Me("resource request with an unknown token", "Bearer "+"unknownToken"+RandomState())
	expectBearerChallenge(t, "resource request with an unknown token", r, "invalid_token")
}

func expiredToken(t *T) {
	r := t.Tokens(AuthRequest{})
	at := r.String("access_token")
	meUser(t, "resource request before expiry", t.Me("resource request before expiry", "Bearer "+at))
	lifetime := time.Hour
	if s, ok := r.JSON()["expires_in"].(float64); ok && s > 0 {
		lifetime = time.Duration(s) * time.Second
	}
	t.Advance(lifetime + time.Second)
	got := t.Me(fmt.Sprintf("resource request %s later", lifetime+time.Second), "Bearer "+at)
	t.Check(got.Status != http.StatusOK, "the resource accepted an access token past its expires_in (%s)", lifetime)
	expectBearerChallenge(t, "expired token", got, "invalid_token")
}

func revokedAfterReuse(t *T) {
	code, _ := t.Code(AuthRequest{})
	c := t.Spec.Primary()
	first := t.ExchangeCode("first exchange", c, code, c.RedirectURI, "")
	at := t.requireTokenResponse("first exchange", first)
	meUser(t, "resource request with the first token", t.Me("resource request with the first token", "Bearer "+at))
	t.ExchangeCode("second exchange (reuse)", c, code, c.RedirectURI, "")
	got := t.Me("resource request after the reuse", "Bearer "+at)
	if got.Status == http.StatusOK {
		t.Fatalf("the access token of a reused code still works at the resource (RFC 6749 §4.1.2 SHOULD revoke)")
	}
	expectBearerChallenge(t, "resource request after the reuse", got, "invalid_token")
}

func lowercaseBearer(t *T) {
	at := t.Tokens(AuthRequest{}).String("access_token")
	meUser(t, "resource request with \"bearer\"", t.Me("resource request with \"bearer\"", "bearer "+at))
}

func queryToken(t *T) {
	at := t.Tokens(AuthRequest{}).String("access_token")
	sep := "?"
	if strings.Contains(t.Spec.MeURL, "?") {
		sep = "&"
	}
	r := t.Get("resource request with ?access_token=", t.Spec.MeURL+sep+"access_token="+at, nil)
	switch {
	case r.Status == http.StatusOK:
		meUser(t, "resource request with ?access_token=", r)
		t.Notef("the resource accepts tokens in the query string (allowed by RFC 6750 §2.3, discouraged by RFC 9700 §4.3.2)")
	case r.Status == http.StatusUnauthorized || r.Status == http.StatusBadRequest:
		t.Notef("the resource refuses tokens in the query string (%d)", r.Status)
	default:
		t.Fatalf("the resource answered a query-string token with %s", r.Brief())
	}
}
