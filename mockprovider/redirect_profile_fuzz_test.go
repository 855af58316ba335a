package mockprovider_test

import (
	"net/url"
	"strings"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// FuzzRedirectProfiles checks, for every profile and any pair of
// strings, the properties the documentation promises: no panic; a
// profile accepts a URI on another host only where its documented rule
// says so (GitHub's subdomains, Keycloak's wildcards); the response goes
// to the presented host; identical URIs are accepted unless the provider
// would not have registered the URI at all.
func FuzzRedirectProfiles(f *testing.F) {
	for _, s := range [][2]string{
		{"http://example.com/path", "http://oauth.example.com/path/sub"},
		{"http://127.0.0.1/cb", "http://127.0.0.1:1234/cb"},
		{"http://localhost", "http://localhost:7071"},
		{"http://host.com/path/*", "http://host.com/path/%2e%2e/x"},
		{"*", "https://evil.example/"},
		{"https://a.example/cb", "https://a.example/cb#x"},
		{"http://[::1]:1/cb", "http://[::1]:2/cb"},
		{"http://a.example/p", `http://a.example/p\..\q`},
		{"https://rp.example/cb", "https://rp.example/cb"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, registered, presented string) {
		for _, p := range mockprovider.RedirectProfiles() {
			d := p.Judge(registered, presented)
			if d.Rule == "" || d.Reason == "" {
				t.Fatalf("%s gives no rule or reason for %q, %q", p.Name, registered, presented)
			}
			if !d.Accepts {
				if d.RedirectTo != "" {
					t.Fatalf("%s refuses %q but redirects to %q", p.Name, presented, d.RedirectTo)
				}
				checkIdenticalAccepted(t, p, registered, presented, d)
				continue
			}
			checkAccepted(t, p, registered, presented, d)
		}
	})
}

func checkIdenticalAccepted(t *testing.T, p *mockprovider.RedirectProfile, registered, presented string, d mockprovider.RedirectDecision) {
	if registered != presented || d.RefusedAtRegistration() {
		return
	}
	if strings.HasSuffix(d.Rule, "/not-a-uri") || d.Rule == "hydra/fragment" {
		return
	}
	t.Fatalf("%s refuses the identical URI %q: %s (%s)", p.Name, registered, d.Rule, d.Reason)
}

func checkAccepted(t *testing.T, p *mockprovider.RedirectProfile, registered, presented string, d mockprovider.RedirectDecision) {
	q, err := url.Parse(presented)
	if err != nil {
		t.Fatalf("%s accepts %q, which does not parse: %v", p.Name, presented, err)
	}
	to, err := url.Parse(d.RedirectTo)
	if err != nil || to.Host != q.Host || to.Scheme != q.Scheme {
		t.Fatalf("%s accepts %q but sends the response to %q", p.Name, presented, d.RedirectTo)
	}
	if registered == presented {
		return
	}
	r, err := url.Parse(registered)
	sameHost := err == nil && r.Hostname() == q.Hostname()
	switch {
	case sameHost:
	case p.Name == "github" && err == nil && strings.HasSuffix(q.Hostname(), "."+r.Hostname()):
	case p.Name == "keycloak" && strings.HasSuffix(registered, "*"):
	default:
		t.Fatalf("%s accepts %q on another host than the registered %q (rule %s)", p.Name, presented, registered, d.Rule)
	}
	if err == nil && r.Scheme != q.Scheme && p.Name != "keycloak" && d.Rule != "hydra/loopback-any-port" {
		t.Fatalf("%s accepts scheme %q for the registered %q", p.Name, q.Scheme, registered)
	}
}
