// Package target describes the OAuth 2.0 provider a conformance run is
// pointed at: the embedded mock, Ory Hydra, or any provider described by
// a YAML target file (see [Load] and testdata/targets/ for examples).
//
//	t, err := target.Open(ctx, "mock", target.Options{})
//	defer t.Close()
package target

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Capability is an optional feature of a provider that some scenarios
// need; a scenario whose capability is missing is skipped, not passed.
type Capability string

// The capabilities a target can declare.
const (
	// PKCE: the provider supports RFC 7636.
	PKCE Capability = "pkce"
	// Refresh: the provider issues refresh tokens (RFC 6749 §6).
	Refresh Capability = "refresh"
	// Clock: the suite can move the provider's clock (the mock's).
	Clock Capability = "clock"
)

var knownCapabilities = []Capability{PKCE, Refresh, Clock}

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
}

// User is the test user the browser signs in as.
type User struct {
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"-"`
	// MeField names the field of the me response that holds the username.
	MeField string `yaml:"me_field,omitempty" json:"me_field"`
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
}

// DefaultLogin is the form contract of the mock's and the project's
// Hydra login/consent pages.
var DefaultLogin = Login{
	Username: "input[name=username]",
	Password: "input[name=password]",
	Submit:   "button[type=submit]",
	Consent:  "button[name=confirm][value=yes]",
	Deny:     "button[name=confirm][value=no]",
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

// Target is a provider the suite runs against.
type Target struct {
	Name string `yaml:"name" json:"name"`
	// File is the target file it was loaded from, if any.
	File string `yaml:"-" json:"file,omitempty"`
	// Mode says how the provider runs, e.g. "embedded mock" or
	// "docker (image dsra-oauth2/hydra:v2.3.0)"; reports show it.
	Mode         string             `yaml:"-" json:"mode"`
	Issuer       string             `yaml:"issuer,omitempty" json:"issuer,omitempty"`
	AuthorizeURL string             `yaml:"authorize_url" json:"authorize_url"`
	TokenURL     string             `yaml:"token_url" json:"token_url"`
	MeURL        string             `yaml:"me_url" json:"me_url"`
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

	closeMu sync.Mutex
	closers []func() error
}

// ClockController moves a provider's clock forward.
type ClockController interface {
	Advance(ctx context.Context, d time.Duration) error
}

// Duration is a time.Duration written as "10s" in YAML and JSON.
type Duration time.Duration

// UnmarshalYAML parses a Go duration such as "10s", with the line in
// the error.
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	if err := d.UnmarshalText([]byte(node.Value)); err != nil {
		return fmt.Errorf("line %d: timeout: %v", node.Line, err)
	}
	return nil
}

// UnmarshalText parses a Go duration such as "10s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 10s", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as "10s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// DefaultTimeout bounds each step of a scenario.
const DefaultTimeout = 10 * time.Second

// Primary is the client most scenarios use.
func (t *Target) Primary() *Client { return t.Clients["primary"] }

// Secondary is the second client, or nil.
func (t *Target) Secondary() *Client { return t.Clients["secondary"] }

// Multi is a client with several registered redirect URIs, or nil.
func (t *Target) Multi() *Client { return t.Clients["multi"] }

// Has reports whether the target declares the capability.
func (t *Target) Has(c Capability) bool { return slices.Contains(t.Capabilities, c) }

// StepTimeout is the bound of one step (a request, a page).
func (t *Target) StepTimeout() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return time.Duration(t.Timeout)
}

// OnClose registers a function Close calls, last registered first.
func (t *Target) OnClose(f func() error) {
	t.closeMu.Lock()
	defer t.closeMu.Unlock()
	t.closers = append(t.closers, f)
}

// Close stops everything the target started. It is idempotent.
func (t *Target) Close() error {
	t.closeMu.Lock()
	closers := t.closers
	t.closers = nil
	t.closeMu.Unlock()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		errs = append(errs, closers[i]())
	}
	return errors.Join(errs...)
}

// Origins are the scheme://host:port of the provider's own endpoints.
func (t *Target) Origins() []string {
	var out []string
	for _, raw := range []string{t.AuthorizeURL, t.TokenURL, t.MeURL, t.Issuer} {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			o := u.Scheme + "://" + u.Host
			if !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}
