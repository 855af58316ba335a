package mockprovider

// hydraSource is fosite's matching, which Ory Hydra v2.3.0 uses (fosite
// v0.49.0): MatchRedirectURIWithClientRedirectURIs, isMatchingAsLoopback
// and IsValidRedirectURI.
const hydraSource = "https://github.com/ory/fosite/blob/v0.49.0/authorize_helper.go"

// hydraProfile follows fosite's source: the presented URI is accepted
// when it equals a registered one as a string, or when it is http on a
// loopback IP literal (net.IP.IsLoopback: all of 127.0.0.0/8 and ::1, not
// the name localhost) with the registered URI's host, decoded path and
// query, whatever the port; a URI with a fragment is refused
// (IsValidRedirectURI). fosite does not compare the registered URI's
// scheme in the loopback case, and neither does the profile. With one
// registered URI an omitted redirect_uri uses it, for every client type.
var hydraProfile = &RedirectProfile{
	Name:       "hydra",
	Provider:   "Ory Hydra (fosite)",
	DocURL:     hydraSource,
	Summary:    "exact string match, or http on a loopback IP literal (not localhost) with any port",
	Omitted:    OmittedUseSingle,
	Conformant: true,
	judge:      judgeHydra,
}

func judgeHydra(registered, presented string) RedirectDecision {
	r, q, bad := parsedPair("hydra", registered, presented)
	if bad != nil {
		return *bad
	}
	if q.Fragment != "" {
		return refuse("hydra/fragment", "fosite refuses a redirect URI with a fragment (IsValidRedirectURI, RFC 6749 §3.1.2)")
	}
	if registered == presented {
		return accept("hydra/exact-match", presented, "identical to a registered redirect URI (fosite compares strings)")
	}
	if q.Scheme == "http" && isLoopbackIPHost(q.Hostname()) && r.Hostname() == q.Hostname() &&
		r.Path == q.Path && r.RawQuery == q.RawQuery {
		return accept("hydra/loopback-any-port", presented, "http on a loopback IP literal may use any port (fosite isMatchingAsLoopback, RFC 8252 §7.3)")
	}
	d := exactRefusal("hydra", "fosite", r, q)
	if q.Hostname() == "localhost" && q.Port() != r.Port() {
		d.Reason += " (fosite's loopback rule covers IP literals, not the name localhost)"
	}
	return d
}
