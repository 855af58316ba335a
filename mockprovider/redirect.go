package mockprovider

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// RedirectPolicy is how a presented redirect_uri is compared with a
// registered one. [PolicyExact] is what RFC 9700 §4.1.3 requires; the
// others reproduce what real providers have shipped. The name of a
// provider profile ([RedirectProfiles]: "github", "google", "entra", ...)
// is a RedirectPolicy too, matching as that provider documents.
type RedirectPolicy string

// The redirect matching policies.
const (
	// PolicyExact compares the two strings exactly (RFC 9700 §4.1.3).
	PolicyExact RedirectPolicy = "exact"
	// PolicyLoopbackAnyPort is exact, except that for an http redirect
	// URI on a loopback IP literal any port is accepted (RFC 8252 §7.3).
	PolicyLoopbackAnyPort RedirectPolicy = "loopback-any-port"
	// PolicyIgnoreQuery compares everything but the query component.
	PolicyIgnoreQuery RedirectPolicy = "ignore-query"
	// PolicyPrefix accepts any URI that starts with the registered one.
	PolicyPrefix RedirectPolicy = "prefix"
	// PolicySchemeInsensitive accepts http for https and back.
	PolicySchemeInsensitive RedirectPolicy = "scheme-insensitive"
	// PolicySubstring accepts any URI that contains the registered one.
	PolicySubstring RedirectPolicy = "substring"
	// PolicyAny accepts every URI: an open redirector.
	PolicyAny RedirectPolicy = "any"
)

var policyInfo = []struct {
	policy     RedirectPolicy
	conformant bool
	about      string
}{
	{PolicyExact, true, "simple string comparison (RFC 9700 §4.1.3, RFC 6749 §3.1.2.3)"},
	{PolicyLoopbackAnyPort, true, "exact, but any port for http loopback IP literals (RFC 8252 §7.3)"},
	{PolicyIgnoreQuery, false, "ignores the query component (breaks RFC 9700 §4.1.3)"},
	{PolicyPrefix, false, "accepts any URI starting with the registered one (breaks RFC 9700 §4.1.3)"},
	{PolicySchemeInsensitive, false, "treats http and https alike (breaks RFC 9700 §4.1.3)"},
	{PolicySubstring, false, "accepts any URI containing the registered one (breaks RFC 9700 §4.1.3)"},
	{PolicyAny, false, "accepts every URI: an open redirector (breaks RFC 9700 §4.1.3, §4.11)"},
}

// RedirectPolicies lists every generic policy, conformant ones first;
// [RedirectProfiles] lists the provider profiles.
func RedirectPolicies() []RedirectPolicy {
	out := make([]RedirectPolicy, len(policyInfo))
	for i, p := range policyInfo {
		out[i] = p.policy
	}
	return out
}

// ParseRedirectPolicy returns the policy or provider profile with the
// given name.
func ParseRedirectPolicy(name string) (RedirectPolicy, error) {
	for _, p := range policyInfo {
		if string(p.policy) == name {
			return p.policy, nil
		}
	}
	if prof, ok := LookupRedirectProfile(RedirectPolicy(name)); ok {
		return prof.Name, nil
	}
	return "", fmt.Errorf("mockprovider: unknown redirect policy %q (known: %s)", name, joinPolicies())
}

func joinPolicies() string {
	names := make([]string, len(policyInfo))
	for i, p := range policyInfo {
		names[i] = string(p.policy)
	}
	for _, p := range RedirectProfiles() {
		names = append(names, string(p.Name))
	}
	return strings.Join(names, ", ")
}

// Conformant reports whether the policy is allowed by the RFCs.
func (p RedirectPolicy) Conformant() bool {
	if prof, ok := LookupRedirectProfile(p); ok {
		return prof.Conformant
	}
	for _, i := range policyInfo {
		if i.policy == p {
			return i.conformant
		}
	}
	return false
}

// About says in one line what the policy does.
func (p RedirectPolicy) About() string {
	if prof, ok := LookupRedirectProfile(p); ok {
		return prof.Provider + ": " + prof.Summary
	}
	for _, i := range policyInfo {
		if i.policy == p {
			return i.about
		}
	}
	return "unknown policy"
}

// Match reports whether presented is accepted for registered. For a
// provider profile it is the profile's [RedirectProfile.Judge].
func (p RedirectPolicy) Match(registered, presented string) bool {
	if prof, ok := LookupRedirectProfile(p); ok {
		return prof.Judge(registered, presented).Accepts
	}
	if registered == presented {
		return true
	}
	switch p {
	case PolicyLoopbackAnyPort:
		r, err1 := url.Parse(registered)
		q, err2 := url.Parse(presented)
		if err1 != nil || err2 != nil || r.Scheme != "http" || q.Scheme != "http" || !isLoopbackIP(r.Hostname()) {
			return false
		}
		// Any port, or none, on either side: native apps register the
		// URI without the ephemeral port they listen on (RFC 8252 §7.3).
		return q.Hostname() == r.Hostname() && q.User == nil && r.User == nil &&
			q.EscapedPath() == r.EscapedPath() && q.RawQuery == r.RawQuery &&
			q.Fragment == r.Fragment
	case PolicyIgnoreQuery:
		return stripQuery(registered) == stripQuery(presented)
	case PolicyPrefix:
		return strings.HasPrefix(presented, registered)
	case PolicySchemeInsensitive:
		r, ok1 := stripScheme(registered)
		q, ok2 := stripScheme(presented)
		return ok1 && ok2 && r == q
	case PolicySubstring:
		return strings.Contains(presented, registered)
	case PolicyAny:
		return true
	}
	return false
}

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func stripQuery(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		rest := s[i:]
		s = s[:i]
		if j := strings.IndexByte(rest, '#'); j >= 0 {
			s += rest[j:]
		}
	}
	return s
}

// stripScheme removes an http:// or https:// prefix; ok is false when s
// has neither, so that a URI without that scheme never matches.
func stripScheme(s string) (rest string, ok bool) {
	lower := strings.ToLower(s)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, p) {
			return s[len(p):], true
		}
	}
	return s, false
}

// URIParts is a URI split into the components RFC 3986 §3 names, as
// written (not normalised), so that a difference in case or encoding shows.
type URIParts struct {
	Scheme   string `json:"scheme"`
	Userinfo string `json:"userinfo,omitempty"`
	Host     string `json:"host"`
	Port     string `json:"port,omitempty"`
	Path     string `json:"path"`
	Query    string `json:"query,omitempty"`
	Fragment string `json:"fragment,omitempty"`
}

// SplitURI parses raw into its components.
func SplitURI(raw string) (URIParts, error) {
	if !validText(raw, 8192) {
		return URIParts{}, fmt.Errorf("mockprovider: %q is not a printable URI of at most 8192 bytes", textcut.Cut(raw, 80))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return URIParts{}, fmt.Errorf("mockprovider: %q is not a URI: %v", raw, err)
	}
	if !u.IsAbs() {
		return URIParts{}, fmt.Errorf("mockprovider: %q is not an absolute URI", raw)
	}
	p := URIParts{
		Scheme:   raw[:strings.IndexByte(raw, ':')],
		Host:     u.Hostname(),
		Port:     u.Port(),
		Path:     u.EscapedPath(),
		Query:    u.RawQuery,
		Fragment: u.EscapedFragment(),
	}
	if u.User != nil {
		p.Userinfo = u.User.String()
	}
	if u.Opaque != "" {
		p.Path = u.Opaque
	}
	return p, nil
}

// Difference is one component in which two URIs differ.
type Difference struct {
	Component  string `json:"component"`
	Registered string `json:"registered"`
	Presented  string `json:"presented"`
}

// PolicyVerdict is whether one policy accepts the presented URI.
type PolicyVerdict struct {
	Policy     RedirectPolicy `json:"policy"`
	Accepts    bool           `json:"accepts"`
	Conformant bool           `json:"conformant"`
	About      string         `json:"about"`
}

// RedirectAnalysis explains how a presented redirect_uri compares with a
// registered one: the components that differ and each policy's verdict.
type RedirectAnalysis struct {
	Registered      string          `json:"registered"`
	Presented       string          `json:"presented"`
	RegisteredParts URIParts        `json:"registered_parts"`
	PresentedParts  URIParts        `json:"presented_parts"`
	Differences     []Difference    `json:"differences"`
	Verdicts        []PolicyVerdict `json:"verdicts"`
}

// Components lists the names of the differing components, e.g.
// "scheme" or "port, path".
func (a *RedirectAnalysis) Components() string {
	names := make([]string, len(a.Differences))
	for i, d := range a.Differences {
		names[i] = d.Component
	}
	return strings.Join(names, ", ")
}

// Accepted reports whether the given policy accepts the presented URI.
func (a *RedirectAnalysis) Accepted(p RedirectPolicy) bool {
	for _, v := range a.Verdicts {
		if v.Policy == p {
			return v.Accepts
		}
	}
	return false
}

// AnalyzeRedirect compares a presented redirect_uri with a registered one.
// It fails only when one of them is not an absolute URI.
func AnalyzeRedirect(registered, presented string) (*RedirectAnalysis, error) {
	r, err := SplitURI(registered)
	if err != nil {
		return nil, err
	}
	q, err := SplitURI(presented)
	if err != nil {
		return nil, err
	}
	a := &RedirectAnalysis{Registered: registered, Presented: presented, RegisteredParts: r, PresentedParts: q}
	for _, c := range []struct{ name, r, q string }{
		{"scheme", r.Scheme, q.Scheme},
		{"userinfo", r.Userinfo, q.Userinfo},
		{"host", r.Host, q.Host},
		{"port", r.Port, q.Port},
		{"path", r.Path, q.Path},
		{"query", r.Query, q.Query},
		{"fragment", r.Fragment, q.Fragment},
	} {
		if c.r != c.q {
			a.Differences = append(a.Differences, Difference{c.name, c.r, c.q})
		}
	}
	if len(a.Differences) == 0 && registered != presented {
		// Same components, different spelling, e.g. "?" with an empty query.
		a.Differences = append(a.Differences, Difference{"spelling", registered, presented})
	}
	for _, p := range policyInfo {
		a.Verdicts = append(a.Verdicts, PolicyVerdict{p.policy, p.policy.Match(registered, presented), p.conformant, p.about})
	}
	return a, nil
}
