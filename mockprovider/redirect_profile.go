package mockprovider

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// RedirectProfile is the redirect URI matching of one real provider, as
// that provider documents it (or, for Hydra and oidc-provider, as their
// source implements it). A profile is named like a [RedirectPolicy] and
// is used the same way: `--redirect-policy github`, `redirect_policy:
// github` in a fixture, `conformance explain-redirect --as github`.
//
// Every profile starts from exact string comparison (RFC 9700 §4.1.3)
// and relaxes it only where its documentation says so; where the
// documentation is silent the profile compares exactly, so it may be
// stricter than the real provider, never looser. The rules each profile
// leaves out for want of documentation are listed in the README.
type RedirectProfile struct {
	// Name is the profile's name, e.g. "github".
	Name RedirectPolicy
	// Provider names the product, e.g. "GitHub OAuth Apps".
	Provider string
	// DocURL is the documentation (or source) the rules come from.
	DocURL string
	// Summary says in one line what the profile accepts.
	Summary string
	// Omitted is what the provider does when redirect_uri is left out.
	Omitted OmittedRedirect
	// Conformant reports whether every rule of the profile is one RFC 9700
	// §4.1.3 and RFC 8252 §7.3 allow.
	Conformant bool
	judge      func(registered, presented string) RedirectDecision
}

// OmittedRedirect is what a provider does with an authorization request
// that has no redirect_uri (RFC 6749 §3.1.2.3 leaves the choice open when
// one URI is registered).
type OmittedRedirect int

// The behaviours for an omitted redirect_uri.
const (
	// OmittedUseSingle uses the registered URI when there is exactly one
	// and refuses the request otherwise (RFC 6749 §3.1.2.3).
	OmittedUseSingle OmittedRedirect = iota
	// OmittedUseFirst uses the first registered URI (GitHub).
	OmittedUseFirst
	// OmittedRefused refuses every request without redirect_uri (Google).
	OmittedRefused
)

// RedirectDecision is a profile's verdict on one presented redirect_uri:
// whether it is accepted, which of the profile's rules decided, and where
// the authorization response goes.
type RedirectDecision struct {
	// Accepts reports whether the provider accepts the presented URI.
	Accepts bool `json:"accepts"`
	// Rule is the profile rule that accepted or refused the URI, e.g.
	// "github/sub-path" or "google/exact-match".
	Rule string `json:"rule"`
	// Reason says in one sentence why.
	Reason string `json:"reason"`
	// RedirectTo is where the provider sends the authorization response
	// when it accepts: the presented URI, or (Entra) that URI with a "/"
	// added to an empty path.
	RedirectTo string `json:"redirect_to,omitempty"`
}

// registrationRule marks the rules that refuse a registered URI the
// provider would not have let anyone register.
const registrationRule = "/registration-"

// RefusedAtRegistration reports whether the decision refuses the
// registered URI itself, before any matching.
func (d RedirectDecision) RefusedAtRegistration() bool {
	return !d.Accepts && strings.Contains(d.Rule, registrationRule)
}

func accept(rule, presented, reason string, args ...any) RedirectDecision {
	return RedirectDecision{Accepts: true, Rule: rule, Reason: fmt.Sprintf(reason, args...), RedirectTo: presented}
}

func refuse(rule, reason string, args ...any) RedirectDecision {
	return RedirectDecision{Rule: rule, Reason: fmt.Sprintf(reason, args...)}
}

// RedirectProfiles lists the profiles of real providers, in the order
// explain-redirect prints them.
func RedirectProfiles() []*RedirectProfile {
	return []*RedirectProfile{githubProfile, googleProfile, googleNativeProfile, entraProfile,
		keycloakProfile, hydraProfile, oidcProviderProfile, oidcProviderNativeProfile}
}

// LookupRedirectProfile returns the profile with the given name.
func LookupRedirectProfile(name RedirectPolicy) (*RedirectProfile, bool) {
	for _, p := range RedirectProfiles() {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Judge decides whether the profile accepts presented for a client that
// registered registered. Unparseable or oversized input is refused,
// never a panic.
func (p *RedirectProfile) Judge(registered, presented string) RedirectDecision {
	if !validText(presented, 8192) || !validText(registered, 8192) {
		return refuse(string(p.Name)+"/not-a-uri", "the URIs must be printable text of at most 8192 bytes")
	}
	if u, err := url.Parse(presented); err != nil || !u.IsAbs() {
		return refuse(string(p.Name)+"/not-a-uri", "the presented redirect_uri is not an absolute URI")
	}
	return p.judge(registered, presented)
}

// JudgeClient decides on presented against every URI a client
// registered, as the provider would: the first accepting URI wins; when
// none accepts, the refusal of the closest one (the one AnalyzeRedirect
// finds fewest differences with) is returned. An empty presented is an
// omitted redirect_uri.
func (p *RedirectProfile) JudgeClient(registered []string, presented string) RedirectDecision {
	if presented == "" {
		return p.omitted(registered)
	}
	var refusals []RedirectDecision
	for _, reg := range registered {
		d := p.Judge(reg, presented)
		if d.Accepts {
			return d
		}
		refusals = append(refusals, d)
	}
	if len(refusals) == 0 {
		return refuse(string(p.Name)+"/no-registered-uri", "the client has no registered redirect URI")
	}
	best, fewest := refusals[0], -1
	for i, reg := range registered {
		if a, err := AnalyzeRedirect(reg, presented); err == nil && (fewest < 0 || len(a.Differences) < fewest) {
			best, fewest = refusals[i], len(a.Differences)
		}
	}
	return best
}

func (p *RedirectProfile) omitted(registered []string) RedirectDecision {
	rule := string(p.Name) + "/omitted-redirect-uri"
	switch {
	case len(registered) == 0:
		return refuse(rule, "redirect_uri is missing and the client has no registered redirect URI")
	case p.Omitted == OmittedRefused:
		return refuse(rule, "%s requires redirect_uri in every authorization request", p.Provider)
	case p.Omitted == OmittedUseFirst:
		return accept(rule, registered[0], "%s sends the response to the first registered callback URL when redirect_uri is omitted", p.Provider)
	case len(registered) == 1:
		return accept(rule, registered[0], "the client has one registered redirect URI, which is used (RFC 6749 §3.1.2.3)")
	}
	return refuse(rule, "the client has several registered redirect URIs, so the request must name one (RFC 6749 §3.1.2.3)")
}

// parsedPair parses both URIs as absolute URIs; on failure it returns the
// refusal to give.
func parsedPair(profile, registered, presented string) (r, q *url.URL, d *RedirectDecision) {
	var err error
	if r, err = url.Parse(registered); err != nil || !r.IsAbs() {
		return nil, nil, &RedirectDecision{Rule: profile + "/not-a-uri", Reason: "the registered redirect URI is not an absolute URI"}
	}
	if q, err = url.Parse(presented); err != nil || !q.IsAbs() {
		return nil, nil, &RedirectDecision{Rule: profile + "/not-a-uri", Reason: "the presented redirect_uri is not an absolute URI"}
	}
	return r, q, nil
}

// firstDifference names the first component in which the two URIs differ
// as written, or "" when they only differ in spelling.
func firstDifference(r, q *url.URL) string {
	for _, c := range []struct{ name, a, b string }{
		{"scheme", r.Scheme, q.Scheme}, {"userinfo", r.User.String(), q.User.String()}, {"host", r.Hostname(), q.Hostname()},
		{"port", r.Port(), q.Port()}, {"path", r.EscapedPath(), q.EscapedPath()}, {"query", r.RawQuery, q.RawQuery},
		{"fragment", r.EscapedFragment(), q.EscapedFragment()},
	} {
		if c.a != c.b {
			return c.name
		}
	}
	return ""
}

// exactRefusal is the refusal of a profile whose documentation grants no
// exception for the component in which the URIs differ.
func exactRefusal(profile, provider string, r, q *url.URL) RedirectDecision {
	comp := firstDifference(r, q)
	if comp == "" {
		return refuse(profile+"/exact-match", "%s compares redirect URIs as strings, and these are spelled differently", provider)
	}
	return refuse(profile+"/exact-match", "the %s differs, and %s makes no exception for it", comp, provider)
}

func isLoopbackIPHost(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// resolveDotSegments removes "." and ".." segments from an escaped path
// the way a browser does before it requests it (the WHATWG URL
// standard's path state: %2e counts as a dot, and "\" separates segments
// of http and https URLs), so that "/cb/%2E%2E/evil" is judged as the
// "/evil" it leads to.
func resolveDotSegments(path string) string {
	segments := strings.Split(strings.ReplaceAll(path, `\`, "/"), "/")
	var out []string
	for i, s := range segments {
		last := i == len(segments)-1
		switch strings.ToLower(s) {
		case ".", "%2e":
			if last {
				out = append(out, "")
			}
		case "..", ".%2e", "%2e.", "%2e%2e":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return strings.Join(out, "/")
}

// ProfileVerdict is one profile's decision on a presented redirect_uri,
// with the provider and the documentation it follows.
type ProfileVerdict struct {
	Profile  RedirectPolicy `json:"profile"`
	Provider string         `json:"provider"`
	DocURL   string         `json:"doc_url"`
	RedirectDecision
}

// JudgeProfiles returns every profile's verdict on presented for a client
// that registered registered, in [RedirectProfiles] order: the answer to
// "which provider would accept this URI?".
func JudgeProfiles(registered, presented string) []ProfileVerdict {
	profiles := RedirectProfiles()
	out := make([]ProfileVerdict, len(profiles))
	for i, p := range profiles {
		out[i] = ProfileVerdict{p.Name, p.Provider, p.DocURL, p.Judge(registered, presented)}
	}
	return out
}
