package scenarios

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// redirectScenarios are the checks of area redirect.
var redirectScenarios = []Scenario{
	{ID: "redirect/exact-match", Level: MUST, RFC: "RFC 6749 §3.1.2, §4.1.2",
		Description: "the registered redirect URI, presented exactly, receives the code and the state",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: exactMatch},
	mismatch("redirect/scheme-mismatch", "RFC 9700 §4.1.3, RFC 6749 §3.1.2.3",
		"the registered URI with the other scheme (http/https) is refused without a redirect", flipScheme),
	mismatch("redirect/host-mismatch", "RFC 9700 §4.1.3",
		"the registered URI on another host is refused without a redirect", otherHost),
	mismatchScenario("redirect/port-mismatch", "RFC 9700 §4.1.3, RFC 8252 §7.3",
		"the registered URI on another port is refused (any port may be accepted for a loopback IP literal)",
		mutated(otherPort), loopbackPortAccepted),
	mismatch("redirect/path-mismatch", "RFC 9700 §4.1.3",
		"the registered URI with another path is refused without a redirect", func(u *url.URL) { u.Path = "/elsewhere"; u.RawPath = "" }),
	mismatch("redirect/path-suffix", "RFC 9700 §4.1.3",
		"the registered URI with a path suffix (/authorized/evil) is refused", func(u *url.URL) { u.Path += "/evil"; u.RawPath = "" }),
	mismatch("redirect/trailing-slash", "RFC 9700 §4.1.3",
		"the registered URI with a trailing slash added (or removed) is refused", toggleSlash),
	mismatch("redirect/path-case", "RFC 9700 §4.1.3, RFC 3986 §6.2.2.1",
		"the registered URI with the path in other letter case is refused", flipCase),
	mismatch("redirect/query-added", "RFC 9700 §4.1.3",
		"the registered URI with a query parameter added is refused", addQuery),
	mismatch("redirect/fragment", "RFC 6749 §3.1.2",
		"the registered URI with a fragment is refused", func(u *url.URL) { u.Fragment = "injected" }),
	rawMismatch("redirect/userinfo-trick", "RFC 9700 §4.1.3, §4.1.1",
		"http://registered-host:port@evil.example/path (userinfo trick) is refused", userinfoTrick),
	rawMismatch("redirect/encoded-traversal", "RFC 9700 §4.1.3",
		"the registered URI followed by an encoded /../ to another path is refused", func(r string) string {
			return strings.TrimSuffix(r, "/") + "/%2E%2E/evil"
		}),
	{ID: "redirect/omitted-single", Level: MUST, RFC: "RFC 6749 §3.1.2.3",
		Description: "redirect_uri omitted for a client with one registered URI: the code goes only to that URI (or the request is refused)",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: omittedSingle},
	{ID: "redirect/omitted-multiple", Level: MUST, RFC: "RFC 6749 §3.1.2.3",
		Description: "redirect_uri omitted for a client with several registered URIs is refused",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: omittedMultiple},
	{ID: "redirect/unknown-client", Level: MUST, RFC: "RFC 6749 §4.1.2.1",
		Description: "an unknown client_id is refused with a page and never redirects",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: unknownClient},
	{ID: "redirect/token-binding", Level: MUST, RFC: "RFC 6749 §4.1.3",
		Description: "a redirect_uri at the token endpoint that differs from the authorization request's gives invalid_grant",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: tokenBinding},
	{ID: "redirect/no-error-to-unregistered", Level: MUST, RFC: "RFC 6749 §4.1.2.1, RFC 9700 §4.11.2",
		Description: "an invalid request with an unregistered redirect_uri is not redirected there (no open redirector)",
		Needs:       []providerspec.Capability{NeedBrowser}, Run: noErrorToUnregistered},
}

func exactMatch(t *T) {
	res := t.Authorize(AuthRequest{})
	if res.Callback == nil {
		t.Fatalf("the browser never reached %s; it stopped at %s: %s", t.Spec.Primary().RedirectURI, res.FinalURL, brief(res.FinalText))
	}
	if e := res.Param("error"); e != "" {
		t.Fatalf("the provider answered error=%s (%s)", e, res.Param("error_description"))
	}
	got := res.Callback.Scheme + "://" + res.Callback.Host + res.Callback.EscapedPath()
	t.Check(strings.HasPrefix(t.Spec.Primary().RedirectURI, got), "the code went to %s, not the registered %s", got, t.Spec.Primary().RedirectURI)
	t.Check(res.Param("code") != "", "the callback carries no code: %s", t.redact(res.Callback.String()))
	t.Check(res.Param("state") == res.State, "state came back as %q, sent %q", res.Param("state"), res.State)
}

// mismatch builds a scenario presenting a variant of the registered URI.
func mismatch(id, rfc, desc string, mutate func(*url.URL)) Scenario {
	return rawMismatch(id, rfc, desc, mutated(mutate))
}

// mutated returns a variant function that parses the registered URI and
// changes it with mutate.
func mutated(mutate func(*url.URL)) func(string) string {
	return func(registered string) string {
		u, err := url.Parse(registered)
		if err != nil {
			return registered + "x"
		}
		mutate(u)
		return u.String()
	}
}

// rawMismatch builds a scenario presenting variant(registered URI),
// which the provider must refuse.
func rawMismatch(id, rfc, desc string, variant func(string) string) Scenario {
	return mismatchScenario(id, rfc, desc, variant, nil)
}

// mismatchScenario builds a scenario presenting variant(registered URI).
// allowed, when set, says why the provider may accept it after all (a
// pass note), or "" when it may not.
func mismatchScenario(id, rfc, desc string, variant func(string) string, allowed func(res *AuthResult, registered, presented string) string) Scenario {
	return Scenario{ID: id, Level: MUST, RFC: rfc, Description: desc, Needs: []providerspec.Capability{NeedBrowser},
		Run: func(t *T) {
			registered := t.Spec.Primary().RedirectURI
			presented := variant(registered)
			if presented == registered {
				t.Skipf("the registered redirect URI %s has no such variant", registered)
			}
			res := t.Authorize(AuthRequest{RedirectURI: presented})
			if allowed != nil {
				if why := allowed(res, registered, presented); why != "" {
					t.Passf("%s", why)
				}
			}
			expectRefused(t, res, presented)
		}}
}

// loopbackPortAccepted allows a code sent to another port of a loopback
// IP literal, as RFC 8252 §7.3 lets a provider do.
func loopbackPortAccepted(res *AuthResult, registered, presented string) string {
	if loopbackIP(registered) && res.Callback != nil && res.Param("code") != "" && sameExceptPort(res.Callback, presented) {
		return "accepted the other port " + res.Callback.Port() + " for a loopback IP literal, as RFC 8252 §7.3 allows"
	}
	return ""
}

// expectRefused checks that an authorization request with a bad client
// or redirect URI sent nothing anywhere: no code, no error redirect to the
// presented URI.
func expectRefused(t *T, res *AuthResult, presented string) {
	for _, hit := range res.Hits {
		what := "an error"
		if hit.Query().Get("code") != "" {
			what = "an authorization code"
		}
		if hit.Query().Get("code") != "" || !sameEndpoint(hit, registeredURIs(t)) {
			t.Fatalf("the provider sent %s to %s (presented %s); it must refuse without redirecting (RFC 6749 §4.1.2.1)",
				what, t.redact(hit.String()), presented)
		}
		t.Notef("the provider sent an error to the registered URI %s rather than showing its own page", t.redact(hit.String()))
	}
	describeRefusal(t, res, presented)
}

// describeRefusal notes what the user saw when a request was refused.
func describeRefusal(t *T, res *AuthResult, presented string) {
	text := strings.ToLower(res.FinalText)
	registered := t.Spec.Primary().RedirectURI
	comps := differingComponents(registered, presented)
	switch {
	case len(comps) > 0 && strings.Contains(text, comps[0]):
		t.Notef("refused; the error page names the differing component (%s)", strings.Join(comps, ", "))
	case len(res.Hits) == 0:
		t.Notef("refused without redirecting; the page does not name the differing component: %s", brief(res.FinalText))
	}
}

func registeredURIs(t *T) []string {
	var out []string
	for _, c := range t.Spec.Clients {
		out = append(out, c.RedirectURI)
	}
	return out
}

// sameEndpoint reports whether hit is one of the URIs, ignoring the
// query the provider added.
func sameEndpoint(hit *url.URL, uris []string) bool {
	for _, raw := range uris {
		u, err := url.Parse(raw)
		if err == nil && u.Scheme == hit.Scheme && u.Host == hit.Host && u.EscapedPath() == hit.EscapedPath() && hit.User == nil {
			return true
		}
	}
	return false
}

func sameExceptPort(hit *url.URL, presented string) bool {
	u, err := url.Parse(presented)
	return err == nil && u.Scheme == hit.Scheme && u.Hostname() == hit.Hostname() && u.EscapedPath() == hit.EscapedPath()
}

func loopbackIP(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func differingComponents(registered, presented string) []string {
	r, err1 := url.Parse(registered)
	p, err2 := url.Parse(presented)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for _, c := range []struct{ name, a, b string }{
		{"scheme", r.Scheme, p.Scheme}, {"userinfo", r.User.String(), p.User.String()}, {"host", r.Hostname(), p.Hostname()},
		{"port", r.Port(), p.Port()}, {"path", r.EscapedPath(), p.EscapedPath()}, {"query", r.RawQuery, p.RawQuery},
		{"fragment", r.Fragment, p.Fragment},
	} {
		if c.a != c.b {
			out = append(out, c.name)
		}
	}
	return out
}

func flipScheme(u *url.URL) {
	if u.Scheme == "https" {
		u.Scheme = "http"
	} else {
		u.Scheme = "https"
	}
}

func otherHost(u *url.URL) {
	port := u.Port()
	host := "evil.example"
	switch u.Hostname() {
	case "localhost":
		host = "127.0.0.1"
	case "127.0.0.1":
		host = "localhost"
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	}
	u.Host = host
}

func otherPort(u *url.URL) {
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		port = 80
		if u.Scheme == "https" {
			port = 443
		}
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(port+1))
}

func toggleSlash(u *url.URL) {
	if strings.HasSuffix(u.Path, "/") && len(u.Path) > 1 {
		u.Path = strings.TrimSuffix(u.Path, "/")
	} else {
		u.Path += "/"
	}
	u.RawPath = ""
}

func flipCase(u *url.URL) {
	up := strings.ToUpper(u.Path)
	if up == u.Path {
		up = strings.ToLower(u.Path)
	}
	u.Path, u.RawPath = up, ""
}

func addQuery(u *url.URL) {
	if u.RawQuery != "" {
		u.RawQuery += "&injected=1"
	} else {
		u.RawQuery = "injected=1"
	}
}

func userinfoTrick(registered string) string {
	u, err := url.Parse(registered)
	if err != nil {
		return registered
	}
	return u.Scheme + "://" + u.Host + "@evil.example" + u.EscapedPath()
}

func omittedSingle(t *T) {
	res := t.Authorize(AuthRequest{OmitRedirect: true})
	registered := t.Spec.Primary().RedirectURI
	if res.Callback == nil {
		t.Passf("the provider requires redirect_uri even with one registered URI (stricter than RFC 6749 §3.1.2.3, as OAuth 2.1 is): %s", brief(res.FinalText))
	}
	for _, hit := range res.Hits {
		t.Check(sameEndpoint(hit, []string{registered}), "the provider redirected to %s, not the registered %s", t.redact(hit.String()), registered)
	}
	if e := res.Param("error"); e != "" {
		t.Passf("the provider refused with error=%s at the registered URI", e)
	}
	t.Check(res.Param("code") != "", "the callback carries neither code nor error")
	t.Check(res.Param("state") == res.State, "state came back as %q, sent %q", res.Param("state"), res.State)
	t.Notef("the code went to the one registered URI")
}

func omittedMultiple(t *T) {
	multi := t.Spec.Multi()
	if multi == nil {
		t.Skipf("the target has no client with several registered redirect URIs (clients.multi)")
	}
	res := t.Authorize(AuthRequest{Client: multi, OmitRedirect: true})
	for _, hit := range res.Hits {
		if hit.Query().Get("code") != "" {
			t.Fatalf("the provider issued a code to %s although the client has several redirect URIs and the request named none", t.redact(hit.String()))
		}
	}
	if len(res.Hits) > 0 {
		t.Notef("the provider redirected an error (%s) rather than showing its own page", res.Param("error"))
		return
	}
	t.Notef("refused without redirecting: %s", brief(res.FinalText))
}

func unknownClient(t *T) {
	unknown := *t.Spec.Primary()
	unknown.ID = "unknown-client-" + RandomState()[:8]
	res := t.Authorize(AuthRequest{Client: &unknown})
	if len(res.Hits) > 0 {
		t.Fatalf("the provider redirected to %s for an unknown client_id; it must not (RFC 6749 §4.1.2.1)", t.redact(res.Hits[0].String()))
	}
	t.Check(!res.ConsentShown, "the provider showed a consent page for an unknown client")
	t.Notef("refused without redirecting: %s", brief(res.FinalText))
}

func tokenBinding(t *T) {
	code, _ := t.Code(AuthRequest{})
	registered := t.Spec.Primary().RedirectURI
	other := strings.TrimSuffix(registered, "/") + "/other"
	r := t.ExchangeCode("token request with another redirect_uri", t.Spec.Primary(), code, other, "")
	t.expectTokenError("token request with another redirect_uri", r, "invalid_grant")
}

func noErrorToUnregistered(t *T) {
	registered := t.Spec.Primary().RedirectURI
	presented := "https://evil.example/callback"
	res := t.Authorize(AuthRequest{RedirectURI: presented, ResponseType: "unsupported_type"})
	for _, hit := range res.Hits {
		if !sameEndpoint(hit, []string{registered}) {
			t.Fatalf("the provider sent the user to %s, an unregistered URI: an open redirector (RFC 9700 §4.11.2)", t.redact(hit.String()))
		}
	}
	t.Notef("refused without redirecting to the unregistered URI: %s", brief(res.FinalText))
}
