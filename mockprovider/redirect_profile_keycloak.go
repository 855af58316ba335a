package mockprovider

import (
	"net/url"
	"strings"
)

// Keycloak's Server Administration Guide, "Valid redirect URIs", and the
// source of the matching (RedirectUtils.matchesRedirects) for the detail
// the guide leaves out.
const (
	keycloakDoc    = "https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients"
	keycloakSource = "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/utils/RedirectUtils.java"
)

// keycloakProfile: "Exact (case sensitive) string matching is used to
// compare valid redirect URIs. You can use wildcards at the end of the URL
// pattern ... if the passed redirect URI contains the userinfo part or its
// path manages access to parent directory (/../) no wildcard comparison
// is performed ... The full wildcard * valid redirect URI can also be
// configured to allow any http or https redirect URI." From the source
// (not the guide): a pattern containing "?" is never a wildcard, and a
// wildcard comparison ignores the presented URI's query and fragment.
// Left out: relative valid redirect URIs (resolved against the client's
// root URL, which the mock's clients do not have) and the loopback port
// handling of recent versions, which the guide does not document.
var keycloakProfile = &RedirectProfile{
	Name:     "keycloak",
	Provider: "Keycloak",
	DocURL:   keycloakDoc,
	Summary:  "exact, or a trailing * wildcard (not with ? in the pattern, not for userinfo or /../); * alone accepts any http(s) URI",
	Omitted:  OmittedUseSingle,
	judge:    judgeKeycloak,
}

// keycloakUnsafePath is the source's UNSAFE_PATH_PATTERN: an access to
// the parent directory ("/../" inside the path or "/.." at its end),
// plain or percent-encoded, with / or \ as separator.
func keycloakUnsafePath(path string) bool {
	p := strings.NewReplacer("%2f", "/", "%5c", "/", `\`, "/", "%2e", ".").Replace(strings.ToLower(path))
	return strings.Contains(p, "/../") || strings.HasSuffix(p, "/..")
}

func judgeKeycloak(registered, presented string) RedirectDecision {
	if registered == presented {
		return accept("keycloak/exact-match", presented, "identical to a valid redirect URI")
	}
	q, err := url.Parse(presented)
	if err != nil || !q.IsAbs() {
		return refuse("keycloak/not-a-uri", "the presented redirect_uri is not an absolute URI")
	}
	if registered == "*" {
		if q.Scheme == "http" || q.Scheme == "https" {
			return accept("keycloak/full-wildcard", presented, "the valid redirect URI * accepts any http or https URI")
		}
		return refuse("keycloak/full-wildcard", "the valid redirect URI * accepts only http and https URIs, not %s", q.Scheme)
	}
	if !strings.HasSuffix(registered, "*") {
		return keycloakExactRefusal(registered, q)
	}
	switch {
	case strings.Contains(registered, "?"):
		return refuse("keycloak/wildcard-with-query", "a valid redirect URI with a query is compared exactly, so its * is not a wildcard (Keycloak source: %s)", keycloakSource)
	case q.User != nil:
		return refuse("keycloak/wildcard-userinfo", "the redirect_uri has userinfo, so Keycloak compares it exactly instead of by wildcard")
	case keycloakUnsafePath(q.EscapedPath()):
		return refuse("keycloak/wildcard-parent-directory", "the redirect_uri's path goes to a parent directory (/../), so Keycloak compares it exactly instead of by wildcard")
	}
	r := presented
	if i := strings.IndexAny(r, "?#"); i >= 0 {
		r = r[:i]
	}
	prefix := strings.TrimSuffix(registered, "*")
	if strings.HasPrefix(r, prefix) || (len(prefix) > 1 && strings.HasSuffix(prefix, "/") && r == strings.TrimSuffix(prefix, "/")) {
		return accept("keycloak/wildcard", presented, "it starts with %s, the valid redirect URI %s without its trailing *", prefix, registered)
	}
	return refuse("keycloak/wildcard", "it does not start with %s, the valid redirect URI %s without its trailing *", prefix, registered)
}

func keycloakExactRefusal(registered string, q *url.URL) RedirectDecision {
	r, err := url.Parse(registered)
	if err != nil || !r.IsAbs() {
		return refuse("keycloak/exact-match", "Keycloak compares redirect URIs exactly (case-sensitive), and these differ")
	}
	return exactRefusal("keycloak", "Keycloak", r, q)
}
