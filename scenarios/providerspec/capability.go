package providerspec

import "slices"

// Capability is something a scenario needs beyond the primary client: a
// feature the provider declares (pkce, refresh, clock), something its
// description has (a second client, a scoped resource, a consent page),
// or a browser in the run. A scenario whose capability is missing is
// skipped with the reason [Spec.Lacks] gives, not passed.
type Capability string

// The capabilities. PKCE, Refresh, Clock and OpenID are declared in a
// target file's capabilities list (OpenID is also found by discovery);
// the others follow from the description.
const (
	// PKCE: the provider supports RFC 7636.
	PKCE Capability = "pkce"
	// Refresh: the provider issues refresh tokens (RFC 6749 §6).
	Refresh Capability = "refresh"
	// Clock: the suite can move the provider's clock (the mock's).
	Clock Capability = "clock"
	// OpenID: the provider is an OpenID Provider (OpenID Connect Core
	// 1.0): declared, or found by discovery at the issuer.
	OpenID Capability = "openid"
	// SecondClient: the description has clients.secondary.
	SecondClient Capability = "second-client"
	// ScopedResource: the description names a scope-protected resource.
	ScopedResource Capability = "scoped-resource"
	// Consent: the provider shows a consent page (login.consent).
	Consent Capability = "consent"
	// Browser: the run drives a browser; the description does not decide
	// it, so [Spec.Lacks] never reports it missing.
	Browser Capability = "browser"
)

// declarable are the capabilities a target file may list.
var declarable = []Capability{PKCE, Refresh, Clock, OpenID}

// Has reports whether the description declares the capability in its
// capabilities list.
func (s *Spec) Has(c Capability) bool { return slices.Contains(s.Capabilities, c) }

// Lacks says why the provider lacks the capability, or "" when it has it.
func (s *Spec) Lacks(c Capability) string {
	switch c {
	case PKCE, Refresh:
		if !s.Has(c) {
			return `the target does not declare capability "` + string(c) + `"`
		}
	case Clock:
		if s.Clock == nil || !s.Has(Clock) {
			return "the target's clock cannot be moved (capability clock)"
		}
	case OpenID:
		if !s.Has(OpenID) {
			return "the target is not an OpenID provider: no OpenID configuration at its issuer + " +
				"/.well-known/openid-configuration, and capability openid is not declared"
		}
	case SecondClient:
		if s.Secondary() == nil {
			return "the target has no secondary client (clients.secondary)"
		}
	case ScopedResource:
		if s.Resource == nil {
			return "the target names no scope-protected resource (resource)"
		}
	case Consent:
		if s.Login.Consent == "" {
			return "the target shows no consent page (login.consent)"
		}
	}
	return ""
}
