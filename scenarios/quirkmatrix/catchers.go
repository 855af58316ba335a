package quirkmatrix

import (
	"slices"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// catchers names, for each quirk of the mock, the scenarios that
// must catch it: with the quirk on, exactly these fail (or warn, for a
// SHOULD rule) and every other scenario passes. A quirk no scenario
// catches would be a hole in the catalog.
var catchers = map[mockprovider.Quirk][]string{
	mockprovider.QuirkRedirectPrefixMatch:        {"redirect/path-suffix", "redirect/trailing-slash", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal"},
	mockprovider.QuirkRedirectSubstringMatch:     {"redirect/path-suffix", "redirect/trailing-slash", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal"},
	mockprovider.QuirkRedirectIgnoreQuery:        {"redirect/query-added"},
	mockprovider.QuirkRedirectSchemeInsensitive:  {"redirect/scheme-mismatch"},
	mockprovider.QuirkRedirectAny:                {"redirect/scheme-mismatch", "redirect/host-mismatch", "redirect/port-mismatch", "redirect/path-mismatch", "redirect/path-suffix", "redirect/trailing-slash", "redirect/path-case", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal", "redirect/no-error-to-unregistered"},
	mockprovider.QuirkRedirectErrorUnregistered:  {"redirect/scheme-mismatch", "redirect/host-mismatch", "redirect/path-mismatch", "redirect/path-suffix", "redirect/trailing-slash", "redirect/path-case", "redirect/userinfo-trick", "redirect/encoded-traversal", "redirect/no-error-to-unregistered"},
	mockprovider.QuirkTokenIgnoreRedirectURI:     {"redirect/token-binding"},
	mockprovider.QuirkCodeReusable:               {"code/reuse", "code/reuse-revokes", "me/revoked-after-reuse"},
	mockprovider.QuirkCodeNoRevokeOnReuse:        {"code/reuse-revokes", "me/revoked-after-reuse"},
	mockprovider.QuirkCodeNeverExpires:           {"code/expiry"},
	mockprovider.QuirkCodeNotClientBound:         {"code/client-bound"},
	mockprovider.QuirkPKCEIgnored:                {"code/pkce-wrong-verifier", "code/pkce-missing-verifier", "code/pkce-plain-when-s256"},
	mockprovider.QuirkPKCEPlainDowngrade:         {"code/pkce-plain-when-s256"},
	mockprovider.QuirkStateDropped:               {"redirect/exact-match", "redirect/omitted-single", "scope/unknown", "scope/consent-denied", "code/state-echoed", "code/response-type-missing", "code/response-type-unsupported", "code/repeated-parameter", "me/seed-json"},
	mockprovider.QuirkStateAltered:               {"redirect/exact-match", "redirect/omitted-single", "scope/unknown", "scope/consent-denied", "code/state-echoed", "code/response-type-missing", "code/response-type-unsupported", "code/repeated-parameter", "me/seed-json"},
	mockprovider.QuirkScopeUnknownGranted:        {"scope/unknown"},
	mockprovider.QuirkScopeOmittedInResponse:     {"scope/reported-when-different"},
	mockprovider.QuirkTokenCacheable:             {"code/no-store"},
	mockprovider.QuirkTokenError200:              {"redirect/token-binding", "code/reuse", "code/reuse-revokes", "code/expiry", "code/client-bound", "code/wrong-secret", "code/unknown-code", "code/unsupported-grant-type", "code/token-get-refused", "code/pkce-wrong-verifier", "code/pkce-missing-verifier", "code/pkce-plain-when-s256", "code/refresh-other-client"},
	mockprovider.QuirkClientSecretIgnored:        {"code/wrong-secret"},
	mockprovider.QuirkInvalidClientNo401:         {"code/wrong-secret"},
	mockprovider.QuirkMeAcceptsExpired:           {"me/expired-token"},
	mockprovider.QuirkMeNoWWWAuthenticate:        {"me/missing-token", "me/invalid-token", "me/expired-token", "me/revoked-after-reuse", "oidc/userinfo-no-token"},
	mockprovider.QuirkMeAcceptsRevoked:           {"me/revoked-after-reuse"},
	mockprovider.QuirkRefreshNotClientBound:      {"code/refresh-other-client"},
	mockprovider.QuirkRepeatedParametersAccepted: {"code/repeated-parameter"},
	mockprovider.QuirkTokenGetAccepted:           {"code/token-get-refused"},
	mockprovider.QuirkResponseTypeIgnored:        {"code/response-type-missing", "code/response-type-unsupported"},
	mockprovider.QuirkConsentDenyIgnored:         {"scope/consent-denied"},
	// OpenID Connect: each id_token claim and each endpoint has its own
	// scenario, so that a quirk is caught by the rule it breaks. A mock
	// that issues bad id_tokens also refuses them as id_token_hint, so
	// RP-initiated logout (a SHOULD) warns too.
	mockprovider.QuirkIDTokenWrongAudience: {"oidc/id-token-aud", "oidc/logout-registered-redirect"},
	mockprovider.QuirkIDTokenNonceDropped:  {"oidc/nonce-echoed"},
	mockprovider.QuirkIDTokenUnsigned:      {"oidc/id-token-signature", "oidc/logout-registered-redirect"},
	mockprovider.QuirkIssuerTrailingSlash:  {"oidc/id-token-iss", "oidc/logout-registered-redirect"},
	mockprovider.QuirkJWKSMissingKid:       {"oidc/id-token-signature"},
	mockprovider.QuirkUserinfoSubMismatch:  {"oidc/userinfo-sub"},
	mockprovider.QuirkIDTokenExpired:       {"oidc/id-token-times"},
	mockprovider.QuirkIDTokenFutureIat:     {"oidc/id-token-times"},
	mockprovider.QuirkIDTokenHS256:         {"oidc/id-token-signature", "oidc/logout-registered-redirect"},
	mockprovider.QuirkNonceInvented:        {"oidc/nonce-absent"},
	mockprovider.QuirkAtHashWrong:          {"oidc/at-hash"},
	mockprovider.QuirkIssParamMissing:      {"oidc/iss-parameter"},
	mockprovider.QuirkLogoutOpenRedirect:   {"oidc/logout-unregistered-redirect"},
	mockprovider.QuirkPromptNoneShowsLogin: {"oidc/prompt-none-login-required"},
	mockprovider.QuirkPromptLoginIgnored:   {"oidc/prompt-login"},
	mockprovider.QuirkMaxAgeIgnored:        {"oidc/max-age"},
	mockprovider.QuirkRefreshSubChanged:    {"oidc/refresh-keeps-sub"},
	mockprovider.QuirkUserinfoPostRefused:  {"oidc/userinfo-post"},
}

// Catchers returns the IDs of the scenarios that must catch the quirk
// (a copy); nil for a quirk no scenario is named for.
func Catchers(q mockprovider.Quirk) []string { return slices.Clone(catchers[q]) }

// CaughtQuirks returns every quirk that names its catchers, in the
// order of [mockprovider.Quirks].
func CaughtQuirks() []mockprovider.Quirk {
	var out []mockprovider.Quirk
	for _, qi := range mockprovider.Quirks() {
		if _, ok := catchers[qi.Name]; ok {
			out = append(out, qi.Name)
		}
	}
	return out
}
