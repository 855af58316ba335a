package mockprovider

import (
	"fmt"
	"slices"
	"strings"
)

// Quirk is a named, documented deviation from the RFCs that the provider
// can be switched into, to reproduce a non-conformant provider. Every quirk
// is caught by at least one scenario of the conformance suite.
type Quirk string

// QuirkInfo documents a quirk: the rule it breaks and where that rule is.
type QuirkInfo struct {
	Name Quirk `json:"name"`
	// Breaks is the rule the quirk breaks, in one line.
	Breaks string `json:"breaks"`
	// RFC is the section stating the rule.
	RFC string `json:"rfc"`
}

// The quirks.
const (
	QuirkRedirectPrefixMatch        Quirk = "redirect-prefix-match"
	QuirkRedirectSubstringMatch     Quirk = "redirect-substring-match"
	QuirkRedirectIgnoreQuery        Quirk = "redirect-ignore-query"
	QuirkRedirectSchemeInsensitive  Quirk = "redirect-scheme-insensitive"
	QuirkRedirectAny                Quirk = "redirect-any"
	QuirkRedirectErrorUnregistered  Quirk = "redirect-error-to-unregistered"
	QuirkTokenIgnoreRedirectURI     Quirk = "token-ignore-redirect-uri"
	QuirkCodeReusable               Quirk = "code-reusable"
	QuirkCodeNoRevokeOnReuse        Quirk = "code-no-revoke-on-reuse"
	QuirkCodeNeverExpires           Quirk = "code-never-expires"
	QuirkCodeNotClientBound         Quirk = "code-not-client-bound"
	QuirkPKCEIgnored                Quirk = "pkce-ignored"
	QuirkPKCEPlainDowngrade         Quirk = "pkce-plain-downgrade"
	QuirkStateDropped               Quirk = "state-dropped"
	QuirkStateAltered               Quirk = "state-altered"
	QuirkScopeUnknownGranted        Quirk = "scope-unknown-granted-silently"
	QuirkScopeOmittedInResponse     Quirk = "scope-omitted-in-response"
	QuirkTokenCacheable             Quirk = "token-cacheable"
	QuirkTokenError200              Quirk = "token-error-200"
	QuirkClientSecretIgnored        Quirk = "client-secret-ignored"
	QuirkInvalidClientNo401         Quirk = "invalid-client-no-401"
	QuirkMeAcceptsExpired           Quirk = "me-accepts-expired"
	QuirkMeNoWWWAuthenticate        Quirk = "me-no-www-authenticate"
	QuirkMeAcceptsRevoked           Quirk = "me-accepts-revoked"
	QuirkRefreshNotClientBound      Quirk = "refresh-not-client-bound"
	QuirkRepeatedParametersAccepted Quirk = "repeated-parameters-accepted"
	QuirkTokenGetAccepted           Quirk = "token-get-accepted"
	QuirkResponseTypeIgnored        Quirk = "response-type-ignored"
	QuirkConsentDenyIgnored         Quirk = "consent-deny-ignored"
)

var quirkInfo = append([]QuirkInfo{
	{QuirkRedirectPrefixMatch, "accepts a redirect_uri that merely starts with a registered one", "RFC 9700 §4.1.3"},
	{QuirkRedirectSubstringMatch, "accepts a redirect_uri that merely contains a registered one", "RFC 9700 §4.1.3"},
	{QuirkRedirectIgnoreQuery, "ignores the query component when matching redirect_uri", "RFC 9700 §4.1.3"},
	{QuirkRedirectSchemeInsensitive, "treats http and https alike when matching redirect_uri", "RFC 9700 §4.1.3"},
	{QuirkRedirectAny, "accepts any redirect_uri (open redirector)", "RFC 6749 §3.1.2.3, RFC 9700 §4.1.3"},
	{QuirkRedirectErrorUnregistered, "sends authorization errors to an unregistered redirect_uri", "RFC 6749 §4.1.2.1, RFC 9700 §4.11.2"},
	{QuirkTokenIgnoreRedirectURI, "does not check that redirect_uri at the token endpoint is the one of the authorization request", "RFC 6749 §4.1.3"},
	{QuirkCodeReusable, "lets an authorization code be exchanged more than once", "RFC 6749 §4.1.2"},
	{QuirkCodeNoRevokeOnReuse, "rejects a reused code but keeps the tokens issued for it", "RFC 6749 §4.1.2 (SHOULD)"},
	{QuirkCodeNeverExpires, "accepts authorization codes however old", "RFC 6749 §4.1.2"},
	{QuirkCodeNotClientBound, "redeems a code for any authenticated client", "RFC 6749 §4.1.3"},
	{QuirkPKCEIgnored, "accepts a wrong or missing code_verifier", "RFC 7636 §4.6"},
	{QuirkPKCEPlainDowngrade, "accepts the code_challenge itself as verifier when S256 was requested", "RFC 7636 §4.6, RFC 9700 §2.1.1"},
	{QuirkStateDropped, "leaves state out of the redirect", "RFC 6749 §4.1.2"},
	{QuirkStateAltered, "returns a state other than the one sent", "RFC 6749 §4.1.2"},
	{QuirkScopeUnknownGranted, "grants a token for an unknown scope without saying so", "RFC 6749 §3.3, §5.1"},
	{QuirkScopeOmittedInResponse, "leaves scope out of the token response when it differs from the request", "RFC 6749 §5.1"},
	{QuirkTokenCacheable, "answers the token endpoint without Cache-Control: no-store", "RFC 6749 §5.1"},
	{QuirkTokenError200, "answers token errors with HTTP 200", "RFC 6749 §5.2"},
	{QuirkClientSecretIgnored, "authenticates a client whatever secret it sends", "RFC 6749 §2.3.1, §3.2.1"},
	{QuirkInvalidClientNo401, "answers invalid_client with 400 and no WWW-Authenticate", "RFC 6749 §5.2"},
	{QuirkMeAcceptsExpired, "the resource accepts expired access tokens", "RFC 6750 §3.1"},
	{QuirkMeNoWWWAuthenticate, "the resource answers 401 without WWW-Authenticate", "RFC 6750 §3"},
	{QuirkMeAcceptsRevoked, "the resource accepts revoked access tokens", "RFC 6750 §3.1, RFC 6749 §4.1.2"},
	{QuirkRefreshNotClientBound, "redeems a refresh token for any authenticated client", "RFC 6749 §6"},
	{QuirkRepeatedParametersAccepted, "accepts repeated request parameters (uses the first)", "RFC 6749 §3.1, §3.2"},
	{QuirkTokenGetAccepted, "accepts token requests by GET with parameters in the URL", "RFC 6749 §3.2"},
	{QuirkResponseTypeIgnored, "issues a code whatever the response_type", "RFC 6749 §4.1.2.1"},
	{QuirkConsentDenyIgnored, "issues a code when the user denies consent", "RFC 6749 §4.1.2.1"},
}, oidcQuirkInfo...)

// Quirks documents every quirk, in a stable order.
func Quirks() []QuirkInfo { return slices.Clone(quirkInfo) }

// ParseQuirks parses a comma-separated list of quirk names. An unknown
// name is an error that lists the known ones.
func ParseQuirks(list string) ([]Quirk, error) {
	var out []Quirk
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !knownQuirk(Quirk(name)) {
			return nil, fmt.Errorf("mockprovider: unknown quirk %q; known quirks: %s", name, knownQuirkNames())
		}
		if !slices.Contains(out, Quirk(name)) {
			out = append(out, Quirk(name))
		}
	}
	return out, nil
}

func knownQuirk(q Quirk) bool {
	return slices.ContainsFunc(quirkInfo, func(i QuirkInfo) bool { return i.Name == q })
}

func knownQuirkNames() string {
	names := make([]string, len(quirkInfo))
	for i, q := range quirkInfo {
		names[i] = string(q.Name)
	}
	return strings.Join(names, ", ")
}

// quirkRedirectPolicy is the matching policy a redirect quirk forces.
var quirkRedirectPolicy = map[Quirk]RedirectPolicy{
	QuirkRedirectPrefixMatch:       PolicyPrefix,
	QuirkRedirectSubstringMatch:    PolicySubstring,
	QuirkRedirectIgnoreQuery:       PolicyIgnoreQuery,
	QuirkRedirectSchemeInsensitive: PolicySchemeInsensitive,
	QuirkRedirectAny:               PolicyAny,
}
