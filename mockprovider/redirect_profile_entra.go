package mockprovider

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// entraDoc is Microsoft's "Redirect URI (reply URL) restrictions and
// limitations" for the Microsoft identity platform.
const entraDoc = "https://learn.microsoft.com/en-us/entra/identity-platform/reply-url"

// entraProfile models an Entra ID app registration that signs in work or
// school accounts (the audience for which query parameters in redirect
// URIs are allowed). Documented and modelled: https only, except for
// localhost and 127.0.0.1 (the IPv6 loopback [::1] "is not currently
// supported"); at most 256 characters; none of ! $ ' ( ) , ; ; paths are
// case-sensitive; for localhost and 127.0.0.1 "the port component ... is
// ignored for the purposes of matching"; a URI without a path segment "is
// returned with a trailing slash". Left out: wildcard redirect URIs,
// whose matching Microsoft does not document (a registered URI with * is
// refused), and the personal-account audience that forbids queries.
var entraProfile = &RedirectProfile{
	Name:     "entra",
	Provider: "Microsoft Entra ID",
	DocURL:   entraDoc,
	Summary:  "exact (case-sensitive path), any port on localhost/127.0.0.1, https except localhost, no path gets a trailing /",
	Omitted:  OmittedUseSingle,
	judge:    judgeEntra,
}

func judgeEntra(registered, presented string) RedirectDecision {
	if d, ok := entraRegistration(registered); !ok {
		return d
	}
	r, q, bad := parsedPair("entra", registered, presented)
	if bad != nil {
		return *bad
	}
	to := entraResponseURI(q, presented)
	if registered == presented {
		d := accept("entra/exact-match", to, "identical to a registered redirect URI")
		if to != presented {
			d.Rule, d.Reason = "entra/exact-match, entra/trailing-slash", d.Reason+"; a URI without a path is returned with a trailing /"
		}
		return d
	}
	if entraLocal(r) && q.Port() != r.Port() && sameExceptPort(r, q) {
		return accept("entra/localhost-port-ignored", to, "for localhost and 127.0.0.1 Entra ignores the port when matching")
	}
	return exactRefusal("entra", "Entra", r, q)
}

// entraRegistration applies the restrictions Entra enforces on the URIs
// of an app registration.
func entraRegistration(raw string) (RedirectDecision, bool) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return refuse("entra/registration-not-a-uri", "%s is not an absolute URI", raw), false
	}
	switch {
	case utf8.RuneCountInString(raw) > 256:
		return refuse("entra/registration-length", "a redirect URI has at most 256 characters; this one has %d", utf8.RuneCountInString(raw)), false
	case strings.ContainsAny(raw, "!$'(),;"):
		return refuse("entra/registration-characters", "redirect URIs do not support the characters ! $ ' ( ) , ;"), false
	case u.Hostname() == "::1":
		return refuse("entra/registration-ipv6-loopback", "the IPv6 loopback address [::1] is not currently supported"), false
	case u.Scheme != "https" && !(u.Scheme == "http" && entraLocal(u)):
		return refuse("entra/registration-scheme", "redirect URIs must use https; http is supported only for localhost"), false
	case strings.Contains(raw, "*"):
		return refuse("entra/registration-wildcard", "wildcard redirect URIs exist in Entra but their matching is not documented, so the mock does not model them"), false
	}
	return RedirectDecision{}, true
}

// entraLocal reports whether u is one of the localhost URIs Entra
// exempts from https and whose port it ignores.
func entraLocal(u *url.URL) bool {
	return u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"
}

// sameExceptPort compares everything but the port, as written.
func sameExceptPort(r, q *url.URL) bool {
	return r.Scheme == q.Scheme && r.User.String() == q.User.String() && r.Hostname() == q.Hostname() &&
		r.EscapedPath() == q.EscapedPath() && r.RawQuery == q.RawQuery && r.ForceQuery == q.ForceQuery &&
		r.EscapedFragment() == q.EscapedFragment()
}

// entraResponseURI is where Entra sends the response for the accepted
// URI raw (parsed as u): raw itself, with "/" as path when it has none.
func entraResponseURI(u *url.URL, raw string) string {
	i := strings.Index(raw, "://")
	if u.Path != "" || u.Opaque != "" || i < 0 {
		return raw
	}
	start := i + len("://")
	end := strings.IndexAny(raw[start:], "?#")
	if end < 0 {
		return raw + "/"
	}
	return raw[:start+end] + "/" + raw[start+end:]
}
