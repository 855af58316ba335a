package browser

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var discard = slog.New(slog.DiscardHandler)

func TestPrefixMatch(t *testing.T) {
	tests := []struct {
		prefix string
		url    string
		want   bool
	}{
		{"http://localhost:8000/authorized", "http://localhost:8000/authorized?code=x&state=y", true},
		{"http://localhost:8000/authorized", "http://localhost:8000/authorized", true},
		{"http://localhost:8000/authorized", "http://localhost:8000/authorized/", true},
		{"http://localhost:8000/authorized", "http://localhost:8000/authorized/deeper", true},
		{"http://localhost:8000/authorized", "http://localhost:8000/authorizedx", false},
		{"http://localhost:8000/authorized", "http://localhost:8000/", false},
		{"http://localhost:8000/authorized", "https://localhost:8000/authorized", false},
		{"http://localhost:8000/authorized", "http://localhost:8001/authorized", false},
		{"http://localhost:8000/authorized", "http://127.0.0.1:8000/authorized", false},
		{"http://localhost:8000/authorized", "http://LOCALHOST:8000/authorized", true},
		{"http://localhost:8000/authorized?ignored=1#and-this", "http://localhost:8000/authorized?code=1", true},
		{"http://localhost:8000/authorized", "http://localhost:8000/%61uthorized", false}, // escaped paths differ
		{"http://localhost:8000", "http://localhost:8000/anything?at=all", true},
		{"http://localhost:8000/", "http://localhost:8000", true},
		{"http://localhost:8000/cb/", "http://localhost:8000/cb/x", true},
		{"http://localhost:8000/cb/", "http://localhost:8000/cb", false},
		{"http://localhost/cb", "http://localhost:80/cb", true},
		{"http://localhost:80/cb", "http://localhost/cb", true},
		{"https://evil.example", "https://evil.example:443/x", true},
		{"https://evil.example", "http://evil.example/x", false},
		{"http://[::1]:8000/cb", "http://[::1]:8000/cb?x", true},
	}
	for _, tt := range tests {
		t.Run(tt.prefix+" "+tt.url, func(t *testing.T) {
			p, err := parsePrefix(tt.prefix)
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.matchString(tt.url))
		})
	}
}

func TestParsePrefixErrors(t *testing.T) {
	for _, raw := range []string{"", "localhost:8000/cb", "ftp://localhost/", "http:///cb", "http://user:pw@localhost/cb", "http://%zz/"} {
		_, err := parsePrefix(raw)
		assert.Error(t, err, raw)
	}
}

func TestPrefixPattern(t *testing.T) {
	for raw, want := range map[string]string{
		"http://localhost:8000/authorized": "http://localhost:8000/*",
		"http://LocalHost:80/x":            "http://localhost/*",
		"https://evil.example":             "https://evil.example/*",
		"https://evil.example:8443/cb":     "https://evil.example:8443/*",
		"http://[::1]:8000/cb":             "http://[::1]:8000/*",
	} {
		p, err := parsePrefix(raw)
		require.NoError(t, err)
		assert.Equal(t, want, p.pattern(), raw)
	}
}

// FuzzPrefixMatch checks, for any prefix and URL, that a match implies the
// same origin and a path at or below the prefix's.
func FuzzPrefixMatch(f *testing.F) {
	f.Add("http://localhost:8000/authorized", "http://localhost:8000/authorized?code=1")
	f.Add("http://localhost:8000/", "http://localhost:8000/x/../y")
	f.Add("https://evil.example/cb/", "https://evil.example:443/cb/%2e%2e/")
	f.Fuzz(func(t *testing.T, rawPrefix, rawURL string) {
		p, err := parsePrefix(rawPrefix)
		if err != nil {
			return
		}
		u, err := url.Parse(rawURL)
		if err != nil || !p.match(u) {
			return
		}
		if !strings.EqualFold(u.Scheme, p.scheme) || hostPort(p.scheme, u) != p.host {
			t.Fatalf("%q matched %q across origins", rawPrefix, rawURL)
		}
		if !strings.HasPrefix(u.EscapedPath()+"/", strings.TrimSuffix(p.path, "/")+"/") && p.path != "/" {
			t.Fatalf("%q matched %q outside its path", rawPrefix, rawURL)
		}
	})
}
