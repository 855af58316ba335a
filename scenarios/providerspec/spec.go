package providerspec

import (
	"context"
	"crypto/x509"
	"net/url"
	"slices"
	"time"
)

// Client is a client registered at the provider.
//
// The roles are primary (most scenarios), secondary (cross-client checks)
// and multi (a client with several registered redirect URIs, for the
// omitted redirect_uri check).
type Client struct {
	ID          string `yaml:"id" json:"id"`
	Secret      string `yaml:"secret" json:"-"`
	RedirectURI string `yaml:"redirect_uri" json:"redirect_uri"`
	// AuthMethod is client_secret_basic (default) or client_secret_post.
	AuthMethod string `yaml:"auth_method,omitempty" json:"auth_method,omitempty"`
	// PostLogoutRedirectURI is registered for the client as a
	// post_logout_redirect_uri (OpenID Connect RP-Initiated Logout 1.0
	// §3); empty when none is.
	PostLogoutRedirectURI string `yaml:"post_logout_redirect_uri,omitempty" json:"post_logout_redirect_uri,omitempty"`
}

// User is the test user the browser signs in as.
type User struct {
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"-"`
	// MeField names the field of the me response that holds the username.
	MeField string `yaml:"me_field,omitempty" json:"me_field"`
	// Claims are claim values an OpenID Provider is expected to release
	// for the user (OpenID Connect Core 1.0 §5.1, custom claims too), e.g.
	// email; oidc/scope-claims checks them in UserInfo and the id_token.
	Claims map[string]any `yaml:"claims,omitempty" json:"claims,omitempty"`
}

// Login holds the CSS selectors the browser uses on the provider's pages.
type Login struct {
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"password"`
	Submit   string `yaml:"submit" json:"submit"`
	// Consent and Deny are the consent page's buttons; empty when the
	// provider shows no consent page.
	Consent string `yaml:"consent,omitempty" json:"consent,omitempty"`
	Deny    string `yaml:"deny,omitempty" json:"deny,omitempty"`
	// LogoutConfirm is the button of the page on which the provider asks
	// the user to confirm an RP-initiated logout (RP-Initiated Logout 1.0
	// §2: the OP SHOULD ask); empty when it asks nothing.
	LogoutConfirm string `yaml:"logout_confirm,omitempty" json:"logout_confirm,omitempty"`
}

// Scopes says which scopes the suite asks for.
type Scopes struct {
	// Granted is a scope the primary client may ask for, e.g. [email].
	Granted []string `yaml:"granted" json:"granted"`
	// Unknown is a scope the provider does not know.
	Unknown string `yaml:"unknown" json:"unknown"`
	// Refresh is a scope to add when a refresh token is wanted, e.g.
	// offline_access; empty when refresh tokens come without one.
	Refresh string `yaml:"refresh,omitempty" json:"refresh,omitempty"`
}

// Resource is a protected resource that needs a scope: the suite asks for
// a token with Without (a scope the client may have that is not Scope) and
// expects insufficient_scope (RFC 6750 §3.1).
type Resource struct {
	URL     string `yaml:"url" json:"url"`
	Scope   string `yaml:"scope" json:"scope"`
	Without string `yaml:"without" json:"without"`
}

// Spec describes a provider the suite runs against: the target file's
// content (see [Load]), or what a launcher filled in for a built-in one.
type Spec struct {
	Name string `yaml:"name" json:"name"`
	// File is the target file it was loaded from, if any.
	File string `yaml:"-" json:"file,omitempty"`
	// Mode says how the provider runs, e.g. "embedded mock" or
	// "docker (image dsra-oauth2/hydra:v2.3.0)"; reports show it.
	Mode         string `yaml:"-" json:"mode"`
	Issuer       string `yaml:"issuer,omitempty" json:"issuer,omitempty"`
	AuthorizeURL string `yaml:"authorize_url" json:"authorize_url"`
	TokenURL     string `yaml:"token_url" json:"token_url"`
	MeURL        string `yaml:"me_url" json:"me_url"`
	// UserinfoURL overrides the OpenID Provider's discovered
	// userinfo_endpoint (OpenID Connect Core 1.0 §5.3).
	UserinfoURL  string             `yaml:"userinfo_url,omitempty" json:"userinfo_url,omitempty"`
	Clients      map[string]*Client `yaml:"clients" json:"clients"`
	Scopes       Scopes             `yaml:"scopes" json:"scopes"`
	User         User               `yaml:"user" json:"user"`
	Login        Login              `yaml:"login" json:"login"`
	Capabilities []Capability       `yaml:"capabilities" json:"capabilities"`
	Resource     *Resource          `yaml:"resource,omitempty" json:"resource,omitempty"`
	ClockURL     string             `yaml:"clock_url,omitempty" json:"clock_url,omitempty"`
	Timeout      Duration           `yaml:"timeout,omitempty" json:"timeout"`
	// MaxParallel caps how many scenarios run at once against the
	// provider (0: no cap), for providers that fail under concurrent
	// sign-ins.
	MaxParallel int `yaml:"max_parallel,omitempty" json:"max_parallel,omitempty"`
	// ExpectedFailures are the provider's known deviations: listed
	// scenarios that fail are reported as xfail, those that pass as xpass.
	ExpectedFailures []ExpectedFailure `yaml:"expected_failures,omitempty" json:"expected_failures,omitempty"`

	// CAFile is a PEM file of the CA that signed the provider's HTTPS
	// certificates (relative to the target file), for providers with a
	// private CA: probes trust it, and the run's browser trusts the keys
	// it signed.
	CAFile string `yaml:"ca_file,omitempty" json:"ca_file,omitempty"`
	// RootCAs are the system's roots plus CAFile's; nil without CAFile.
	RootCAs *x509.CertPool `yaml:"-" json:"-"`

	// Secrets are values expanded from the environment that are secrets
	// (see [Parse]): reports redact them, like client secrets.
	Secrets []string `yaml:"-" json:"-"`

	// Clock moves the provider's clock; nil without the clock capability.
	Clock ClockController `yaml:"-" json:"-"`
}

// ClockController moves a provider's clock forward.
type ClockController interface {
	Advance(ctx context.Context, d time.Duration) error
}

// Primary is the client most scenarios use.
func (s *Spec) Primary() *Client { return s.Clients["primary"] }

// Secondary is the second client, or nil.
func (s *Spec) Secondary() *Client { return s.Clients["secondary"] }

// Multi is a client with several registered redirect URIs, or nil.
func (s *Spec) Multi() *Client { return s.Clients["multi"] }

// StepTimeout is the bound of one step (a request, a page).
func (s *Spec) StepTimeout() time.Duration {
	if s.Timeout <= 0 {
		return DefaultTimeout
	}
	return time.Duration(s.Timeout)
}

// Origins are the scheme://host:port of the provider's own endpoints.
func (s *Spec) Origins() []string {
	var out []string
	for _, raw := range []string{s.AuthorizeURL, s.TokenURL, s.MeURL, s.UserinfoURL, s.Issuer} {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			o := u.Scheme + "://" + u.Host
			if !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}
