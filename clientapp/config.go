package clientapp

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// Defaults of [DefaultConfig]: the seed's registration of client.py at the mock provider's default
// address. The client id and secret are the ones in the fixtures the mock provider loads.
const (
	DefaultProviderURL  = "http://127.0.0.1:9000"
	DefaultClientID     = "QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq"
	DefaultClientSecret = "tBhV3kXq8RmW2zLp9cNf6yTd4sJa7uGe1HiKoPw5QrZxEb0MvY"
	DefaultRedirectURL  = "http://localhost:8000/authorized"
	DefaultScope        = "email"
)

// Paths appended to a provider's base URL by [ConfigFromProviderURL]: the seed's endpoints.
const (
	AuthorizePath = "/oauth/authorize"
	TokenPath     = "/oauth/token"
	MePath        = "/oauth/api/me"
)

// Config describes the provider and the client registration the [App] uses.
// Build one with [DefaultConfig], [ConfigFromProviderURL] or [ConfigFromEnv], adjust it, and pass it
// to [New], which validates it.
type Config struct {
	// ClientID is the client identifier issued at registration (RFC 6749 §2.2). Required.
	ClientID string
	// ClientSecret is the client password (RFC 6749 §2.3.1). Empty for a public client.
	ClientSecret string
	// AuthURL is the provider's authorization endpoint (RFC 6749 §3.1), e.g. .../oauth/authorize.
	AuthURL string
	// TokenURL is the provider's token endpoint (RFC 6749 §3.2), e.g. .../oauth/token.
	TokenURL string
	// MeURL is the protected resource called with the bearer token (RFC 6750), e.g. .../oauth/api/me.
	MeURL string
	// RedirectURL is the registered redirection URI (RFC 6749 §3.1.2), sent as redirect_uri.
	// The App serves its callback at this URL's path (default /authorized), whatever address it
	// listens on; its scheme, host and port are where the browser must open the App (see
	// [App.HomeURL]) so that the state cookie comes back with the callback.
	RedirectURL string
	// Scopes are the requested scopes (RFC 6749 §3.3). Empty means no scope parameter, i.e. the
	// provider's default.
	Scopes []string
	// PKCE sends an S256 code challenge (RFC 7636) and the matching code_verifier.
	PKCE bool
	// AuthStyle is how the client authenticates at the token endpoint: [oauth2.AuthStyleInHeader]
	// (client_secret_basic), [oauth2.AuthStyleInParams] (client_secret_post), or the zero value
	// [oauth2.AuthStyleAutoDetect], which tries basic and then post.
	AuthStyle oauth2.AuthStyle
	// HTTPClient makes the token and /me requests. Nil means a client with a 10-second timeout.
	HTTPClient *http.Client
	// Issuer is the OpenID Provider's issuer (OpenID Connect Discovery 1.0 §4). When Scopes
	// contain "openid", the App sends a nonce, verifies the id_token with go-oidc against the
	// discovery document and JWKS found under this URL (signature, iss, aud, exp, nonce, at_hash)
	// and, when the provider offers end_session_endpoint, /logout performs RP-Initiated Logout.
	// [ConfigFromProviderURL] sets it to the provider's base URL, the mock's issuer.
	Issuer string
	// Now is the clock an id_token's exp is checked against. Nil means time.Now; a test against
	// a mock provider on its virtual clock passes the mock's Now.
	Now func() time.Time
	// Logger receives the App's structured logs. Nil discards them. Tokens, codes, secrets, state
	// and verifiers are never logged.
	Logger *slog.Logger

	// envErr is an invalid environment value seen by ConfigFromEnv, reported by New.
	envErr error
}

// DefaultConfig returns the seed's client.py registration against the mock provider at
// [DefaultProviderURL]: the default client id and secret, redirect URL [DefaultRedirectURL],
// scope "email", PKCE on, client authentication auto-detected.
func DefaultConfig() Config {
	return ConfigFromProviderURL(DefaultProviderURL)
}

// ConfigFromProviderURL returns [DefaultConfig] with the three endpoints derived from a provider's
// base URL, as the seed does: base + [AuthorizePath], base + [TokenPath] and base + [MePath]
// (trailing slashes of base are ignored). The URLs are checked by [New].
func ConfigFromProviderURL(base string) Config {
	cfg := Config{
		ClientID:     DefaultClientID,
		ClientSecret: DefaultClientSecret,
		RedirectURL:  DefaultRedirectURL,
		Scopes:       []string{DefaultScope},
		PKCE:         true,
		AuthStyle:    oauth2.AuthStyleAutoDetect,
	}
	cfg.setProviderURL(base)
	return cfg
}

func (c *Config) setProviderURL(base string) {
	base = strings.TrimRight(base, "/")
	c.AuthURL = base + AuthorizePath
	c.TokenURL = base + TokenPath
	c.MeURL = base + MePath
	c.Issuer = base
}

// ConfigFromEnv returns [DefaultConfig] overridden by the environment, read with getenv (pass
// [os.Getenv]); empty variables are ignored. PROVIDER_URL sets the three endpoints and the issuer,
// and AUTH_URL, TOKEN_URL, ME_URL and ISSUER override them one by one. The others are CLIENT_ID, CLIENT_SECRET,
// REDIRECT_URL, SCOPE (space- or comma-separated), PKCE (a boolean) and AUTH_STYLE (basic, post or
// auto). An invalid PKCE or AUTH_STYLE is reported by [New].
func ConfigFromEnv(getenv func(string) string) Config {
	cfg := DefaultConfig()
	set := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("PROVIDER_URL"); v != "" {
		cfg.setProviderURL(v)
	}
	set("AUTH_URL", &cfg.AuthURL)
	set("TOKEN_URL", &cfg.TokenURL)
	set("ME_URL", &cfg.MeURL)
	set("ISSUER", &cfg.Issuer)
	set("CLIENT_ID", &cfg.ClientID)
	set("CLIENT_SECRET", &cfg.ClientSecret)
	set("REDIRECT_URL", &cfg.RedirectURL)
	if v := getenv("SCOPE"); v != "" {
		cfg.Scopes = ParseScopes(v)
	}
	var errs []error
	if v := getenv("PKCE"); v != "" {
		if b, err := strconv.ParseBool(v); err == nil {
			cfg.PKCE = b
		} else {
			errs = append(errs, fmt.Errorf("clientapp: environment PKCE=%q: want true or false", v))
		}
	}
	if v := getenv("AUTH_STYLE"); v != "" {
		style, err := ParseAuthStyle(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("clientapp: environment AUTH_STYLE: %w", err))
		}
		cfg.AuthStyle = style
	}
	cfg.envErr = errors.Join(errs...)
	return cfg
}

// RegisterFlags defines the client's command-line flags on fs, with c's current values as defaults,
// so that flags override the environment when c comes from [ConfigFromEnv]. Parsing fs sets c's
// fields: --client-id, --client-secret, --provider-url, --auth-url, --token-url, --me-url, --issuer,
// --scope, --redirect-url, --pkce and --auth-style. An explicit --auth-url, --token-url, --me-url or
// --issuer wins over --provider-url whatever their order.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.ClientID, "client-id", c.ClientID, "OAuth2 client id (env CLIENT_ID)")
	fs.Var(secretValue{&c.ClientSecret}, "client-secret",
		"OAuth2 client secret (env CLIENT_SECRET, preferred: flags show in ps; never printed)")
	explicit := map[string]bool{}
	urlFlag := func(name string, dst *string, env, usage string) {
		fs.Func(name, fmt.Sprintf("%s (env %s; default %s)", usage, env, *dst), func(v string) error {
			*dst = v
			explicit[name] = true
			return nil
		})
	}
	fs.Func("provider-url", "provider base URL: sets the authorize, token and me URLs to "+
		AuthorizePath+", "+TokenPath+" and "+MePath+" under it, and the issuer to it (env PROVIDER_URL)", func(v string) error {
		p := Config{}
		p.setProviderURL(v)
		for name, pair := range map[string][2]*string{
			"auth-url":  {&c.AuthURL, &p.AuthURL},
			"token-url": {&c.TokenURL, &p.TokenURL},
			"me-url":    {&c.MeURL, &p.MeURL},
			"issuer":    {&c.Issuer, &p.Issuer},
		} {
			if !explicit[name] {
				*pair[0] = *pair[1]
			}
		}
		return nil
	})
	urlFlag("auth-url", &c.AuthURL, "AUTH_URL", "authorization endpoint URL")
	urlFlag("token-url", &c.TokenURL, "TOKEN_URL", "token endpoint URL")
	urlFlag("me-url", &c.MeURL, "ME_URL", "URL of the protected /api/me resource")
	urlFlag("issuer", &c.Issuer, "ISSUER", "OpenID Provider issuer, for discovery and id_token checks when scope has openid")
	fs.StringVar(&c.RedirectURL, "redirect-url", c.RedirectURL,
		"registered redirect URI; its path is where the callback is served (env REDIRECT_URL)")
	fs.Var(scopesValue{&c.Scopes}, "scope", "requested scopes, space- or comma-separated (env SCOPE)")
	fs.BoolVar(&c.PKCE, "pkce", c.PKCE, "send a PKCE S256 code challenge (env PKCE)")
	fs.Var(authStyleValue{&c.AuthStyle}, "auth-style",
		"client authentication at the token endpoint: basic, post or auto (env AUTH_STYLE)")
}

// ParseScopes splits a scope list on spaces and commas, dropping empty entries:
// "email profile", "email,profile" and " email, profile " all give [email profile].
func ParseScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// ParseAuthStyle maps "basic" (client_secret_basic), "post" (client_secret_post) and "auto" to an
// [oauth2.AuthStyle].
func ParseAuthStyle(s string) (oauth2.AuthStyle, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "basic":
		return oauth2.AuthStyleInHeader, nil
	case "post":
		return oauth2.AuthStyleInParams, nil
	case "auto", "":
		return oauth2.AuthStyleAutoDetect, nil
	}
	return oauth2.AuthStyleAutoDetect, fmt.Errorf("clientapp: auth style %q: want basic, post or auto", s)
}

func authStyleName(s oauth2.AuthStyle) string {
	switch s {
	case oauth2.AuthStyleInHeader:
		return "basic"
	case oauth2.AuthStyleInParams:
		return "post"
	case oauth2.AuthStyleAutoDetect:
		return "auto"
	}
	return strconv.Itoa(int(s))
}

type scopesValue struct{ p *[]string }

func (v scopesValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, " ")
}

func (v scopesValue) Set(s string) error {
	*v.p = ParseScopes(s)
	return nil
}

// secretValue is a string flag whose value is never printed, not even as a default in -h.
type secretValue struct{ p *string }

func (v secretValue) String() string { return "" }

func (v secretValue) Set(s string) error {
	*v.p = s
	return nil
}

type authStyleValue struct{ p *oauth2.AuthStyle }

func (v authStyleValue) String() string {
	if v.p == nil {
		return ""
	}
	return authStyleName(*v.p)
}

func (v authStyleValue) Set(s string) error {
	style, err := ParseAuthStyle(s)
	if err != nil {
		return err
	}
	*v.p = style
	return nil
}

// validate reports every problem of c at once, each naming the field.
func (c *Config) validate() error {
	errs := []error{c.envErr}
	if c.ClientID == "" {
		errs = append(errs, errors.New("clientapp: ClientID is required"))
	}
	for _, f := range []struct{ name, value string }{
		{"AuthURL", c.AuthURL}, {"TokenURL", c.TokenURL}, {"MeURL", c.MeURL}, {"RedirectURL", c.RedirectURL},
	} {
		if err := checkEndpoint(f.name, f.value); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Issuer != "" {
		if err := checkEndpoint("Issuer", c.Issuer); err != nil {
			errs = append(errs, err)
		}
	} else if wantsOpenID(c.Scopes) {
		errs = append(errs, errors.New("clientapp: scope openid needs Issuer: the id_token is verified against its discovery document and JWKS"))
	}
	if u, err := url.Parse(c.RedirectURL); err == nil {
		switch p := callbackPath(u); p {
		case "/", logoutPath:
			errs = append(errs, fmt.Errorf("clientapp: RedirectURL %q: path %q is taken by the app; use e.g. /authorized", c.RedirectURL, p))
		}
	}
	for _, s := range c.Scopes {
		if !scope.ValidToken(s) {
			errs = append(errs, fmt.Errorf("clientapp: scope %q is not an RFC 6749 §3.3 scope-token", s))
		}
	}
	switch c.AuthStyle {
	case oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams:
	default:
		errs = append(errs, fmt.Errorf("clientapp: AuthStyle %d is not an oauth2.AuthStyle", c.AuthStyle))
	}
	return errors.Join(errs...)
}

// checkEndpoint requires an absolute http or https URL with a host and no fragment
// (RFC 6749 §3.1, §3.1.2).
func checkEndpoint(name, value string) error {
	if value == "" {
		return fmt.Errorf("clientapp: %s is required", name)
	}
	u, err := url.Parse(value)
	if err != nil {
		return fmt.Errorf("clientapp: %s %q: %v", name, value, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("clientapp: %s %q: want an absolute http or https URL", name, value)
	}
	if u.Fragment != "" || strings.Contains(value, "#") {
		return fmt.Errorf("clientapp: %s %q: must not contain a fragment", name, value)
	}
	return nil
}

// callbackPath is the path the App serves its callback at: the redirect URL's path, "/" if empty.
func callbackPath(redirect *url.URL) string {
	if redirect.Path == "" {
		return "/"
	}
	return redirect.Path
}
