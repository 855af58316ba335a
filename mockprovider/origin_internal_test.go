package mockprovider

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestProvider(t *testing.T, opts ...Option) *Provider {
	t.Helper()
	p, err := New(opts...)
	require.NoError(t, err)
	return p
}

func TestKnownHost(t *testing.T) {
	p := newTestProvider(t, WithIssuer("https://auth.example.test"), WithHosts("mock:9000"))
	for host, want := range map[string]bool{
		"127.0.0.1:9000":          true,
		"127.0.0.2":               true,
		"[::1]:9000":              true,
		"localhost:9000":          true,
		"LOCALHOST":               true,
		"auth.example.test":       true,
		"auth.example.test:443":   true,
		"auth.example.test:8443":  false,
		"mock:9000":               true,
		"mock:9001":               false,
		"attacker.example:9000":   false,
		"localhost.attacker.test": false,
		"":                        false,
		"192.168.1.5:9000":        false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/_mock/requests", nil)
		r.Host = host
		assert.Equal(t, want, p.knownHost(r), host)
	}
}

func TestForeignOrigin(t *testing.T) {
	p := newTestProvider(t, WithIssuer("https://auth.example.test"))
	for _, tc := range []struct {
		name, host, origin, site string
		foreign                  bool
	}{
		{"no browser headers", "127.0.0.1:9000", "", "", false},
		{"same origin", "127.0.0.1:9000", "http://127.0.0.1:9000", "same-origin", false},
		{"typed by the user", "127.0.0.1:9000", "", "none", false},
		{"issuer origin behind a proxy", "mock:9000", "https://auth.example.test", "", false},
		{"another port on localhost", "localhost:9000", "http://localhost:8000", "", true},
		{"same-site is not same-origin", "localhost:9000", "", "same-site", true},
		{"cross-site", "127.0.0.1:9000", "", "cross-site", true},
		{"cross-site with a same Origin", "127.0.0.1:9000", "http://127.0.0.1:9000", "cross-site", true},
		{"opaque origin", "127.0.0.1:9000", "null", "", true},
		{"rebinding: Origin equals an unknown Host", "attacker.example:9000", "http://attacker.example:9000", "", true},
		{"other scheme than the issuer's", "mock:9000", "http://auth.example.test", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/oauth/authorize", nil)
			r.Host = tc.host
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if tc.site != "" {
				r.Header.Set("Sec-Fetch-Site", tc.site)
			}
			assert.Equal(t, tc.foreign, p.foreignOrigin(r) != "", p.foreignOrigin(r))
		})
	}
}

func TestControlRefusal(t *testing.T) {
	p := newTestProvider(t)
	for _, tc := range []struct {
		name, method, remote, host, ctype, origin string
		status                                    int
	}{
		{"JSON from loopback", http.MethodPost, "127.0.0.1:5000", "127.0.0.1:9000", "application/json", "", 0},
		{"JSON with charset", http.MethodPost, "127.0.0.1:5000", "127.0.0.1:9000", "application/json; charset=utf-8", "", 0},
		{"GET needs no body type", http.MethodGet, "127.0.0.1:5000", "localhost:9000", "", "", 0},
		{"text/plain (no CORS preflight)", http.MethodPost, "127.0.0.1:5000", "127.0.0.1:9000", "text/plain", "", http.StatusUnsupportedMediaType},
		{"form", http.MethodPost, "127.0.0.1:5000", "127.0.0.1:9000", "application/x-www-form-urlencoded", "", http.StatusUnsupportedMediaType},
		{"no type", http.MethodPut, "127.0.0.1:5000", "127.0.0.1:9000", "", "", http.StatusUnsupportedMediaType},
		{"rebinding Host", http.MethodGet, "127.0.0.1:5000", "attacker.example:9000", "", "", http.StatusForbidden},
		{"foreign Origin", http.MethodPost, "127.0.0.1:5000", "127.0.0.1:9000", "application/json", "http://evil.example", http.StatusForbidden},
		{"remote", http.MethodGet, "192.0.2.1:5000", "127.0.0.1:9000", "", "", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/_mock/quirks", strings.NewReader("{}"))
			r.RemoteAddr, r.Host = tc.remote, tc.host
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			e := p.controlRefusal(r)
			if tc.status == 0 {
				assert.Nil(t, e)
				return
			}
			require.NotNil(t, e)
			assert.Equal(t, tc.status, e.Status, e.Description)
		})
	}
}

// FuzzControlRefusal feeds hostile Host, Origin, Sec-Fetch-Site and
// Content-Type values to the control API's checks: never a panic, and a
// request let through always has a known Host and a JSON body.
func FuzzControlRefusal(f *testing.F) {
	for _, seed := range [][4]string{
		{"127.0.0.1:9000", "", "", "application/json"},
		{"attacker.example", "http://attacker.example", "cross-site", "text/plain"},
		{"[::1]", "null", "same-origin", "application/json;charset=utf-8"},
		{"localhost:9000", "http://localhost:9000", "none", "APPLICATION/JSON"},
		{"[", "http://[::1", "", ";"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	p, err := New(WithIssuer("https://auth.example.test"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, host, origin, site, ctype string) {
		r := httptest.NewRequest(http.MethodPost, "/_mock/quirks", nil)
		r.RemoteAddr, r.Host = "127.0.0.1:5000", host
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", site)
		r.Header.Set("Content-Type", ctype)
		if p.controlRefusal(r) != nil {
			return
		}
		assert.True(t, p.knownHost(r), "let through with Host %q", host)
		assert.Contains(t, strings.ToLower(ctype), "application/json")
	})
}
