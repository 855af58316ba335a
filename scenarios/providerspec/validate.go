package providerspec

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

func fieldErr(field, format string, args ...any) error {
	return &FileError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks a description and returns a [*FileError] naming the
// first field at fault. It changes nothing: [Spec.ApplyDefaults] fills
// defaults, so a file's omitted fields are checked after it ran.
func (s *Spec) Validate() error {
	for _, check := range []func() error{
		s.validateEndpoints, s.validateClients, s.validateScopes, s.validateUser,
		s.validateLogin, s.validateCapabilities, s.validateResource, s.validateLimits, s.validateOpenID,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Spec) validateEndpoints() error {
	if strings.TrimSpace(s.Name) == "" {
		return fieldErr("name", "is required")
	}
	if s.Issuer != "" {
		if err := checkURL(s.Issuer); err != nil {
			return fieldErr("issuer", "%v", err)
		}
	}
	for _, f := range s.endpoints() {
		if f.value == "" {
			if s.Issuer == "" {
				return fieldErr(f.field, "is required unless issuer is given (discovery fills it)")
			}
			continue
		}
		if err := checkURL(f.value); err != nil {
			return fieldErr(f.field, "%v", err)
		}
	}
	return nil
}

type endpointField struct{ field, value string }

func (s *Spec) endpoints() []endpointField {
	return []endpointField{{"authorize_url", s.AuthorizeURL}, {"token_url", s.TokenURL}, {"me_url", s.MeURL}}
}

// CheckDiscovered checks that every endpoint URL is set and absolute
// after discovery at source filled the missing ones.
func (s *Spec) CheckDiscovered(source string) error {
	for _, f := range s.endpoints() {
		if err := checkURL(f.value); err != nil {
			return &FileError{File: s.File, Field: f.field, Reason: "not in the file and not found by discovery at " + source}
		}
	}
	return nil
}

func (s *Spec) validateClients() error {
	if s.Primary() == nil {
		return fieldErr("clients.primary", "is required")
	}
	for name, c := range s.Clients {
		if err := validateClient("clients."+name, name, c); err != nil {
			return err
		}
	}
	return nil
}

func validateClient(field, role string, c *Client) error {
	if role != "primary" && role != "secondary" && role != "multi" {
		return fieldErr(field, "unknown client role %q (primary, secondary, multi)", role)
	}
	if c == nil {
		return fieldErr(field, "is empty")
	}
	if c.ID == "" {
		return fieldErr(field+".id", "is required")
	}
	switch c.AuthMethod {
	case "client_secret_basic", "client_secret_post", "none":
	default:
		return fieldErr(field+".auth_method", "%q is not client_secret_basic, client_secret_post or none", c.AuthMethod)
	}
	if c.Secret == "" && c.AuthMethod != "none" {
		return fieldErr(field+".secret", "is required (or auth_method: none for a public client)")
	}
	if err := checkURL(c.RedirectURI); err != nil {
		return fieldErr(field+".redirect_uri", "%v", err)
	}
	if strings.Contains(c.RedirectURI, "#") {
		return fieldErr(field+".redirect_uri", "must not have a fragment (RFC 6749 §3.1.2)")
	}
	return nil
}

func (s *Spec) validateScopes() error {
	for _, tok := range append(slices.Clone(s.Scopes.Granted), s.Scopes.Unknown, s.Scopes.Refresh) {
		if tok != "" && !scope.ValidToken(tok) {
			return fieldErr("scopes", "%q is not a single scope token (RFC 6749 §3.3)", tok)
		}
	}
	return nil
}

func (s *Spec) validateUser() error {
	if s.User.Username == "" {
		return fieldErr("user.username", "is required")
	}
	if s.User.Password == "" {
		return fieldErr("user.password", "is required")
	}
	return nil
}

func (s *Spec) validateLogin() error {
	for _, f := range []struct{ field, value string }{
		{"login.username", s.Login.Username}, {"login.password", s.Login.Password}, {"login.submit", s.Login.Submit},
	} {
		if f.value == "" {
			return fieldErr(f.field, "is required (a CSS selector)")
		}
	}
	if (s.Login.Consent == "") != (s.Login.Deny == "") {
		return fieldErr("login", "give both consent and deny selectors, or neither (no consent page)")
	}
	return nil
}

func (s *Spec) validateCapabilities() error {
	for _, c := range s.Capabilities {
		if !slices.Contains(declarable, c) {
			return fieldErr("capabilities", "unknown capability %q (known: pkce, refresh, clock, openid)", c)
		}
	}
	if s.Has(Clock) && s.ClockURL == "" && s.Clock == nil {
		return fieldErr("capabilities", "clock needs clock_url (a mockprovider's /_mock/clock)")
	}
	if s.ClockURL != "" {
		if err := checkURL(s.ClockURL); err != nil {
			return fieldErr("clock_url", "%v", err)
		}
	}
	return nil
}

func (s *Spec) validateResource() error {
	r := s.Resource
	if r == nil {
		return nil
	}
	if err := checkURL(r.URL); err != nil {
		return fieldErr("resource.url", "%v", err)
	}
	if r.Scope == "" || r.Without == "" || r.Scope == r.Without {
		return fieldErr("resource", "needs scope (what the resource requires) and without (another scope the client may ask for)")
	}
	return nil
}

func (s *Spec) validateLimits() error {
	if s.MaxParallel < 0 {
		return fieldErr("max_parallel", "must be 0 (no cap) or more")
	}
	if d := time.Duration(s.Timeout); d != 0 && (d < 100*time.Millisecond || d > 5*time.Minute) {
		return fieldErr("timeout", "must be between 100ms and 5m, not %s", d)
	}
	return nil
}

func checkURL(raw string) error {
	if raw == "" {
		return errors.New("is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
