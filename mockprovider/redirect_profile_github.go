package mockprovider

import (
	"net"
	"net/url"
	"strings"
)

// githubDoc documents the redirect_uri rules of GitHub OAuth Apps
// ("Redirect URLs" and "Loopback redirect urls"); the first-callback rule
// for an omitted redirect_uri is from "About the user authorization
// callback URL" (https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-user-authorization-callback-url).
const githubDoc = "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls"

// githubProfile: "the redirect URL's host (excluding sub-domains) and port
// must exactly match the callback URL. The redirect URL's path must
// reference a subdirectory of the callback URL"; a loopback redirect_uri
// "does not need to match the port". GitHub's example of a loopback URL
// is 127.0.0.1 and the page recommends against localhost, so the port
// rule is applied to loopback IP literals only. The documentation says
// nothing of scheme, query or fragment: those are compared exactly.
var githubProfile = &RedirectProfile{
	Name:     "github",
	Provider: "GitHub OAuth Apps",
	DocURL:   githubDoc,
	Summary:  "host and port must match (subdomains allowed), the path may be a sub-directory, any port on a loopback IP",
	Omitted:  OmittedUseFirst,
	judge:    judgeGitHub,
}

func judgeGitHub(registered, presented string) RedirectDecision {
	if registered == presented {
		return accept("github/exact-match", presented, "identical to the callback URL")
	}
	r, q, bad := parsedPair("github", registered, presented)
	if bad != nil {
		return *bad
	}
	var used []string
	switch {
	case q.Scheme != r.Scheme || q.User.String() != r.User.String():
		return exactRefusal("github", "GitHub", r, q)
	case q.Hostname() == r.Hostname():
	case githubSubdomain(q.Hostname(), r.Hostname()):
		used = append(used, "github/subdomain")
	default:
		return refuse("github/host", "host %s is neither the callback URL's host %s nor a subdomain of it", q.Hostname(), r.Hostname())
	}
	switch {
	case q.Port() == r.Port():
	case q.Scheme == "http" && isLoopbackIPHost(q.Hostname()) && q.Hostname() == r.Hostname():
		used = append(used, "github/loopback-port")
	default:
		return refuse("github/port", "port %q differs from the callback URL's %q; GitHub lets only a loopback redirect_uri change the port", q.Port(), r.Port())
	}
	if !githubSubPath(q.EscapedPath(), r.EscapedPath()) {
		return refuse("github/path", "path %s does not reference a subdirectory of the callback URL's path %s", q.EscapedPath(), r.EscapedPath())
	}
	if q.EscapedPath() != r.EscapedPath() {
		used = append(used, "github/sub-path")
	}
	if q.RawQuery != r.RawQuery || q.EscapedFragment() != r.EscapedFragment() || q.ForceQuery != r.ForceQuery {
		return exactRefusal("github", "GitHub", &url.URL{RawQuery: r.RawQuery, Fragment: r.Fragment}, &url.URL{RawQuery: q.RawQuery, Fragment: q.Fragment})
	}
	if len(used) == 0 {
		return exactRefusal("github", "GitHub", r, q)
	}
	return accept(strings.Join(used, ", "), presented, "GitHub accepts it: %s", githubWhy(used))
}

// githubSubdomain reports whether host is a subdomain of the registered
// DNS name (never of an IP literal).
func githubSubdomain(host, registered string) bool {
	return registered != "" && net.ParseIP(registered) == nil && strings.HasSuffix(host, "."+registered)
}

// githubSubPath reports whether path, once its dot segments are resolved
// as the browser will, is the registered path or below it.
func githubSubPath(path, registered string) bool {
	path = resolveDotSegments(path)
	if path == registered {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(registered, "/")+"/")
}

func githubWhy(rules []string) string {
	why := map[string]string{
		"github/subdomain":     "the host is a subdomain of the callback URL's",
		"github/loopback-port": "a loopback redirect_uri may use any port",
		"github/sub-path":      "the path is a subdirectory of the callback URL's",
	}
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = why[r]
	}
	return strings.Join(out, "; ")
}
