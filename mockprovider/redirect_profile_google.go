package mockprovider

import (
	"net"
	"net/url"
	"strings"
)

// Google's documentation of redirect URIs: web server applications
// (exact match, "Redirect URI validation rules") and desktop apps
// (loopback IP address with any port).
const (
	googleWebDoc    = "https://developers.google.com/identity/protocols/oauth2/web-server#uri-validation"
	googleNativeDoc = "https://developers.google.com/identity/protocols/oauth2/native-app#redirect-uri_loopback"
)

// googleProfile is a Google "Web application" client: redirect_uri is
// required and "must exactly match one of the authorized redirect URIs
// ... the http or https scheme, case, and trailing slash ('/') must all
// match", and a URI can only be registered when it passes the validation
// rules. Two of those rules are left out because they need lists the
// mock does not have: "Host TLDs must belong to the public suffix list"
// and "cannot contain URL shortener domains"; "cannot contain open
// redirects" cannot be judged from the URI alone.
var googleProfile = &RedirectProfile{
	Name:       "google",
	Provider:   "Google (web application client)",
	DocURL:     googleWebDoc,
	Summary:    "exact match; https except localhost; no raw IP, userinfo, fragment, wildcard or path traversal; redirect_uri required",
	Omitted:    OmittedRefused,
	Conformant: true,
	judge:      judgeGoogle,
}

// googleNativeProfile is a Google "Desktop app" client: the redirect URI
// is "http://127.0.0.1:port or http://[::1]:port", any port the app
// listens on ("It is also possible to use localhost in place of the
// loopback IP"). Desktop clients register no URI at Google; the mock
// compares the rest of the URI (host, path, query) with the client's
// registered one exactly, since the documentation says nothing of paths.
var googleNativeProfile = &RedirectProfile{
	Name:       "google-native",
	Provider:   "Google (desktop app client)",
	DocURL:     googleNativeDoc,
	Summary:    "http on 127.0.0.1, [::1] or localhost with any port; the rest exact",
	Omitted:    OmittedRefused,
	Conformant: true,
	judge:      judgeGoogleNative,
}

func judgeGoogle(registered, presented string) RedirectDecision {
	if d, ok := googleRegistration(registered); !ok {
		return d
	}
	if registered == presented {
		return accept("google/exact-match", presented, "identical to an authorized redirect URI")
	}
	r, q, bad := parsedPair("google", registered, presented)
	if bad != nil {
		return *bad
	}
	return exactRefusal("google", "Google", r, q)
}

// googleRegistration applies Google's redirect URI validation rules to a
// registered URI; ok is false, with the refusal, when Google would not
// have accepted it as an authorized redirect URI.
func googleRegistration(raw string) (RedirectDecision, bool) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return refuse("google/registration-not-a-uri", "%s is not an absolute URI, so Google would not register it", raw), false
	}
	local := u.Hostname() == "localhost" || isLoopbackIPHost(u.Hostname())
	lower := strings.ToLower(raw)
	checks := []struct {
		bad        bool
		rule, what string
	}{
		{u.Scheme != "https" && !(u.Scheme == "http" && local), "scheme", "must use https (only localhost URIs are exempt)"},
		{isIPHost(u.Hostname()) && !isLoopbackIPHost(u.Hostname()), "host", "cannot use a raw IP address as host (only loopback addresses are exempt)"},
		{u.Hostname() == "googleusercontent.com" || strings.HasSuffix(u.Hostname(), ".googleusercontent.com"), "domain", "cannot use the googleusercontent.com domain"},
		{u.User != nil, "userinfo", "cannot contain userinfo"},
		{googleTraversal(lower), "path", "cannot contain a path traversal (/.. or \\.., or their URL encoding)"},
		{strings.Contains(raw, "#"), "fragment", "cannot contain a fragment"},
		{strings.Contains(raw, "*"), "characters", "cannot contain the wildcard character *"},
		{!validPercentEncoding(raw) || strings.Contains(lower, "%00") || strings.Contains(lower, "%c0%80"), "characters",
			"cannot contain invalid percent encodings or null characters"},
	}
	for _, c := range checks {
		if c.bad {
			return refuse("google/registration-"+c.rule, "Google would not register %s: a redirect URI %s", raw, c.what), false
		}
	}
	return RedirectDecision{}, true
}

func isIPHost(host string) bool { return net.ParseIP(host) != nil }

// googleTraversal reports whether a lowercased URI has "/.." or "\.." in
// any spelling Google names: plain or URL-encoded.
func googleTraversal(lower string) bool {
	s := strings.NewReplacer("%2e", ".", "%2f", "/", "%5c", `\`).Replace(lower)
	return strings.Contains(s, "/..") || strings.Contains(s, `\..`)
}

// validPercentEncoding reports whether every % starts a %XX escape.
func validPercentEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func judgeGoogleNative(registered, presented string) RedirectDecision {
	r, q, bad := parsedPair("google-native", registered, presented)
	if bad != nil {
		return *bad
	}
	if !googleLoopback(r) {
		return refuse("google-native/registration-loopback", "desktop app clients redirect to http://127.0.0.1:port, http://[::1]:port or http://localhost:port; %s is none of these", registered)
	}
	if !googleLoopback(q) {
		return refuse("google-native/loopback", "desktop app clients redirect to http://127.0.0.1:port, http://[::1]:port or http://localhost:port; %s is none of these", presented)
	}
	if registered == presented {
		return accept("google-native/exact-match", presented, "identical to the registered loopback URI")
	}
	rp, qp := *r, *q
	rp.Host, qp.Host = r.Hostname(), q.Hostname()
	if strings.Contains(rp.Host, ":") {
		rp.Host, qp.Host = "["+rp.Host+"]", "["+qp.Host+"]"
	}
	if rp.String() == qp.String() && r.Port() != q.Port() {
		return accept("google-native/loopback-any-port", presented, "a desktop app may listen on any port of the loopback interface")
	}
	return exactRefusal("google-native", "Google", r, q)
}

func googleLoopback(u *url.URL) bool {
	h := u.Hostname()
	return u.Scheme == "http" && u.User == nil && (h == "127.0.0.1" || h == "::1" || h == "localhost")
}
