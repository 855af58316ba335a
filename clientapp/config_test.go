package clientapp_test

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
)

func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	cfg := clientapp.DefaultConfig()
	assert.Equal(t, "QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq", cfg.ClientID)
	assert.Equal(t, "tBhV3kXq8RmW2zLp9cNf6yTd4sJa7uGe1HiKoPw5QrZxEb0MvY", cfg.ClientSecret)
	assert.Equal(t, "http://127.0.0.1:9000/oauth/authorize", cfg.AuthURL)
	assert.Equal(t, "http://127.0.0.1:9000/oauth/token", cfg.TokenURL)
	assert.Equal(t, "http://127.0.0.1:9000/oauth/api/me", cfg.MeURL)
	assert.Equal(t, "http://localhost:8000/authorized", cfg.RedirectURL)
	assert.Equal(t, []string{"email"}, cfg.Scopes)
	assert.True(t, cfg.PKCE)
	assert.Equal(t, oauth2.AuthStyleAutoDetect, cfg.AuthStyle)
	_, err := clientapp.New(cfg)
	assert.NoError(t, err)
}

func TestConfigFromProviderURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://internalproxy.com", "https://internalproxy.com/", "https://internalproxy.com//"} {
		cfg := clientapp.ConfigFromProviderURL(base)
		assert.Equal(t, "https://internalproxy.com/oauth/authorize", cfg.AuthURL, base)
		assert.Equal(t, "https://internalproxy.com/oauth/token", cfg.TokenURL, base)
		assert.Equal(t, "https://internalproxy.com/oauth/api/me", cfg.MeURL, base)
	}
	cfg := clientapp.ConfigFromProviderURL("http://127.0.0.1:4444/prefix")
	assert.Equal(t, "http://127.0.0.1:4444/prefix/oauth/token", cfg.TokenURL)
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		mutate  func(*clientapp.Config)
		wantErr []string // substrings; none means valid
	}{
		{"default", func(*clientapp.Config) {}, nil},
		{"public client, no scope", func(c *clientapp.Config) { c.ClientSecret, c.Scopes = "", nil }, nil},
		{"endpoint with query", func(c *clientapp.Config) { c.AuthURL += "?tenant=a" }, nil},
		{"zero config", func(c *clientapp.Config) { *c = clientapp.Config{} },
			[]string{"ClientID is required", "AuthURL is required", "TokenURL is required", "MeURL is required", "RedirectURL is required"}},
		{"no client id", func(c *clientapp.Config) { c.ClientID = "" }, []string{"clientapp: ClientID is required"}},
		{"relative auth URL", func(c *clientapp.Config) { c.AuthURL = "/oauth/authorize" },
			[]string{`AuthURL "/oauth/authorize": want an absolute http or https URL`}},
		{"ftp token URL", func(c *clientapp.Config) { c.TokenURL = "ftp://x/token" }, []string{"TokenURL"}},
		{"me URL without host", func(c *clientapp.Config) { c.MeURL = "http:///me" }, []string{"MeURL"}},
		{"unparsable URL", func(c *clientapp.Config) { c.TokenURL = "http://[::1" }, []string{"TokenURL"}},
		{"redirect with fragment", func(c *clientapp.Config) { c.RedirectURL += "#x" }, []string{"RedirectURL", "fragment"}},
		{"redirect at /", func(c *clientapp.Config) { c.RedirectURL = "http://localhost:8000/" },
			[]string{`path "/" is taken`}},
		{"redirect without path", func(c *clientapp.Config) { c.RedirectURL = "http://localhost:8000" },
			[]string{`path "/" is taken`}},
		{"redirect at /logout", func(c *clientapp.Config) { c.RedirectURL = "http://localhost:8000/logout" },
			[]string{`path "/logout" is taken`}},
		{"scope with a space", func(c *clientapp.Config) { c.Scopes = []string{"email profile"} },
			[]string{`scope "email profile"`}},
		{"scope with a quote", func(c *clientapp.Config) { c.Scopes = []string{`a"b`} }, []string{"scope-token"}},
		{"empty scope", func(c *clientapp.Config) { c.Scopes = []string{""} }, []string{"scope-token"}},
		{"bad auth style", func(c *clientapp.Config) { c.AuthStyle = 7 }, []string{"AuthStyle 7"}},
		{"several at once", func(c *clientapp.Config) { c.ClientID, c.MeURL = "", "me" },
			[]string{"ClientID", "MeURL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := clientapp.DefaultConfig()
			tc.mutate(&cfg)
			app, err := clientapp.New(cfg)
			if tc.wantErr == nil {
				require.NoError(t, err)
				require.NotNil(t, app)
				return
			}
			require.Error(t, err)
			assert.Nil(t, app)
			for _, s := range tc.wantErr {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func getenvFrom(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c clientapp.Config)
	}{
		{"empty is the default", nil, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, clientapp.DefaultConfig(), c)
		}},
		{"provider URL", map[string]string{"PROVIDER_URL": "https://p.example/"}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, "https://p.example/oauth/authorize", c.AuthURL)
			assert.Equal(t, "https://p.example/oauth/token", c.TokenURL)
			assert.Equal(t, "https://p.example/oauth/api/me", c.MeURL)
		}},
		{"provider URL sets the issuer, ISSUER overrides it", map[string]string{"PROVIDER_URL": "https://p.example/", "ISSUER": "https://id.example"},
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, "https://p.example/oauth/token", c.TokenURL)
				assert.Equal(t, "https://id.example", c.Issuer)
			}},
		{"explicit URLs win over the provider URL", map[string]string{
			"PROVIDER_URL": "https://p.example", "AUTH_URL": "https://a.example/auth", "ME_URL": "https://r.example/me",
		}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, "https://a.example/auth", c.AuthURL)
			assert.Equal(t, "https://p.example/oauth/token", c.TokenURL)
			assert.Equal(t, "https://r.example/me", c.MeURL)
		}},
		{"client and options", map[string]string{
			"CLIENT_ID": "id", "CLIENT_SECRET": "secret", "REDIRECT_URL": "http://127.0.0.1:8001/cb",
			"SCOPE": "email, profile openid", "PKCE": "false", "AUTH_STYLE": "post", "TOKEN_URL": "http://t/token",
		}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, "id", c.ClientID)
			assert.Equal(t, "secret", c.ClientSecret)
			assert.Equal(t, "http://127.0.0.1:8001/cb", c.RedirectURL)
			assert.Equal(t, []string{"email", "profile", "openid"}, c.Scopes)
			assert.False(t, c.PKCE)
			assert.Equal(t, oauth2.AuthStyleInParams, c.AuthStyle)
			assert.Equal(t, "http://t/token", c.TokenURL)
			_, err := clientapp.New(c)
			assert.NoError(t, err)
		}},
		{"invalid values are reported by New", map[string]string{"PKCE": "maybe", "AUTH_STYLE": "digest"},
			func(t *testing.T, c clientapp.Config) {
				_, err := clientapp.New(c)
				require.Error(t, err)
				assert.Contains(t, err.Error(), `PKCE="maybe"`)
				assert.Contains(t, err.Error(), `AUTH_STYLE: clientapp: auth style "digest": want basic, post or auto`)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, clientapp.ConfigFromEnv(getenvFrom(tc.env)))
		})
	}
}

func TestRegisterFlags(t *testing.T) {
	t.Parallel()
	const p = "https://p.example"
	for _, tc := range []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, c clientapp.Config)
	}{
		{"no flags keep the environment", map[string]string{"CLIENT_ID": "env-id", "SCOPE": "a,b"}, nil,
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, "env-id", c.ClientID)
				assert.Equal(t, []string{"a", "b"}, c.Scopes)
				assert.Equal(t, "http://127.0.0.1:9000/oauth/token", c.TokenURL)
			}},
		{"flags override the environment", map[string]string{"CLIENT_ID": "env-id", "AUTH_URL": "https://env/auth", "PKCE": "true"},
			[]string{"--client-id", "flag-id", "--client-secret=s", "--provider-url", p, "--pkce=false"},
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, "flag-id", c.ClientID)
				assert.Equal(t, "s", c.ClientSecret)
				assert.Equal(t, p+"/oauth/authorize", c.AuthURL)
				assert.False(t, c.PKCE)
			}},
		{"explicit URL after provider URL", nil, []string{"--provider-url", p, "--token-url", "https://t/token"},
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, p+"/oauth/authorize", c.AuthURL)
				assert.Equal(t, "https://t/token", c.TokenURL)
				assert.Equal(t, p+"/oauth/api/me", c.MeURL)
			}},
		{"explicit URL before provider URL", nil, []string{"--me-url", "https://m/me", "--auth-url", "https://a/auth", "--provider-url", p},
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, "https://a/auth", c.AuthURL)
				assert.Equal(t, p+"/oauth/token", c.TokenURL)
				assert.Equal(t, "https://m/me", c.MeURL)
			}},
		{"issuer from the provider URL", nil, []string{"--provider-url", p}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, p, c.Issuer)
		}},
		{"explicit issuer before provider URL", nil, []string{"--issuer", "https://id.example", "--provider-url", p},
			func(t *testing.T, c clientapp.Config) { assert.Equal(t, "https://id.example", c.Issuer) }},
		{"scope with commas", nil, []string{"--scope", "email,profile"}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, []string{"email", "profile"}, c.Scopes)
		}},
		{"scope with spaces", nil, []string{"--scope", " email  profile "}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, []string{"email", "profile"}, c.Scopes)
		}},
		{"empty scope", nil, []string{"--scope="}, func(t *testing.T, c clientapp.Config) {
			assert.Empty(t, c.Scopes)
		}},
		{"auth style basic", nil, []string{"--auth-style", "basic"}, func(t *testing.T, c clientapp.Config) {
			assert.Equal(t, oauth2.AuthStyleInHeader, c.AuthStyle)
		}},
		{"auth style post", map[string]string{"AUTH_STYLE": "basic"}, []string{"--auth-style=POST"},
			func(t *testing.T, c clientapp.Config) { assert.Equal(t, oauth2.AuthStyleInParams, c.AuthStyle) }},
		{"auth style auto", map[string]string{"AUTH_STYLE": "basic"}, []string{"--auth-style=auto"},
			func(t *testing.T, c clientapp.Config) { assert.Equal(t, oauth2.AuthStyleAutoDetect, c.AuthStyle) }},
		{"redirect URL", nil, []string{"--redirect-url", "http://127.0.0.1:8000/authorized"},
			func(t *testing.T, c clientapp.Config) {
				assert.Equal(t, "http://127.0.0.1:8000/authorized", c.RedirectURL)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := clientapp.ConfigFromEnv(getenvFrom(tc.env))
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			cfg.RegisterFlags(fs)
			require.NoError(t, fs.Parse(tc.args))
			tc.check(t, cfg)
		})
	}
}

func TestRegisterFlagsErrorsAndHelp(t *testing.T) {
	t.Parallel()
	cfg := clientapp.ConfigFromEnv(getenvFrom(map[string]string{"PROVIDER_URL": "https://p.example", "CLIENT_SECRET": "env-secret"}))
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	cfg.RegisterFlags(fs)
	err := fs.Parse([]string{"--auth-style", "digest"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `auth style "digest": want basic, post or auto`)

	out.Reset()
	fs.PrintDefaults()
	help := out.String()
	for _, name := range []string{"-client-id", "-client-secret", "-provider-url", "-auth-url", "-token-url", "-issuer",
		"-me-url", "-scope", "-redirect-url", "-pkce", "-auth-style", "https://p.example/oauth/token", "CLIENT_ID"} {
		assert.Contains(t, help, name)
	}
	assert.NotContains(t, help, "env-secret", "-h never prints the secret")
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"":                  nil,
		"email":             {"email"},
		"email profile":     {"email", "profile"},
		"email,profile":     {"email", "profile"},
		" email , profile ": {"email", "profile"},
		",,":                nil,
	} {
		got := clientapp.ParseScopes(in)
		if len(want) == 0 {
			assert.Empty(t, got, in)
			continue
		}
		assert.Equal(t, want, got, in)
	}
}
