package mockprovider

// The OpenID Connect quirks: mistakes of real providers and mocks that
// break relying parties (or that relying parties fail to notice).
const (
	// QuirkIDTokenWrongAudience puts the issuer URL in the id_token's aud
	// instead of the client_id.
	QuirkIDTokenWrongAudience Quirk = "id-token-wrong-audience"
	// QuirkIDTokenNonceDropped leaves the request's nonce out of the id_token.
	QuirkIDTokenNonceDropped Quirk = "id-token-nonce-dropped"
	// QuirkIDTokenUnsigned issues id_tokens with alg "none" and no signature.
	QuirkIDTokenUnsigned Quirk = "id-token-unsigned"
	// QuirkIssuerTrailingSlash puts the issuer plus a trailing slash in the
	// tokens' iss, while discovery names it without.
	QuirkIssuerTrailingSlash Quirk = "issuer-trailing-slash-mismatch"
	// QuirkJWKSMissingKid publishes the keys under other kids than the
	// tokens' headers name, so a relying party cannot find the key.
	QuirkJWKSMissingKid Quirk = "jwks-missing-kid"
	// QuirkUserinfoSubMismatch answers UserInfo with a sub other than the
	// id_token's (the username).
	QuirkUserinfoSubMismatch Quirk = "userinfo-sub-mismatch"
	// QuirkIDTokenExpired issues id_tokens that expired a second before
	// they were issued.
	QuirkIDTokenExpired Quirk = "id-token-expired"
	// QuirkIDTokenFutureIat dates id_tokens one hour ahead (iat and nbf),
	// as a provider whose clock runs fast does.
	QuirkIDTokenFutureIat Quirk = "id-token-future-iat"
	// QuirkIDTokenHS256 signs id_tokens with HS256 and the client secret
	// while discovery advertises asymmetric algorithms only.
	QuirkIDTokenHS256 Quirk = "id-token-hs256-client-secret"
	// QuirkNonceInvented puts a nonce in id_tokens of requests that sent none.
	QuirkNonceInvented Quirk = "nonce-invented"
	// QuirkAtHashWrong puts the hash of another value in at_hash.
	QuirkAtHashWrong Quirk = "at-hash-wrong"
	// QuirkIssParamMissing leaves the RFC 9207 iss parameter out of
	// authorization responses while discovery advertises it.
	QuirkIssParamMissing Quirk = "iss-param-missing"
	// QuirkLogoutOpenRedirect lets the end-session endpoint redirect to any
	// post_logout_redirect_uri.
	QuirkLogoutOpenRedirect Quirk = "logout-open-redirect"
	// QuirkPromptNoneShowsLogin answers prompt=none without a session with
	// the login page instead of a login_required redirect.
	QuirkPromptNoneShowsLogin Quirk = "prompt-none-shows-login"
	// QuirkPromptLoginIgnored issues a code for prompt=login without asking
	// the signed-in user to sign in again.
	QuirkPromptLoginIgnored Quirk = "prompt-login-ignored"
	// QuirkMaxAgeIgnored ignores max_age: no re-authentication, the old
	// auth_time.
	QuirkMaxAgeIgnored Quirk = "max-age-ignored"
	// QuirkRefreshSubChanged returns, on refresh, an id_token whose sub
	// differs from the original one.
	QuirkRefreshSubChanged Quirk = "refresh-id-token-sub-changed"
	// QuirkUserinfoPostRefused answers UserInfo requests by POST with 405.
	QuirkUserinfoPostRefused Quirk = "userinfo-post-refused"
)

// oidcQuirkInfo documents the OpenID quirks, in catalog order.
var oidcQuirkInfo = []QuirkInfo{
	{QuirkIDTokenWrongAudience, "id_token aud is the issuer, not the client_id", "OIDC Core §2, §3.1.3.7 (3)"},
	{QuirkIDTokenNonceDropped, "the nonce sent is missing from the id_token", "OIDC Core §3.1.3.7 (11)"},
	{QuirkIDTokenUnsigned, "id_tokens are unsigned (alg none)", "OIDC Core §3.1.3.7 (6-8), §16.14"},
	{QuirkIssuerTrailingSlash, "token iss has a trailing slash the discovered issuer lacks", "OIDC Core §3.1.3.7 (2), Discovery §4.3"},
	{QuirkJWKSMissingKid, "the token's kid is not in the JWKS", "OIDC Core §10.1, RFC 7515 §4.1.4"},
	{QuirkUserinfoSubMismatch, "UserInfo sub differs from the id_token's", "OIDC Core §5.3.2"},
	{QuirkIDTokenExpired, "id_tokens are expired when issued (exp one second before iat)", "OIDC Core §3.1.3.7 (9)"},
	{QuirkIDTokenFutureIat, "id_tokens are dated an hour ahead (iat, nbf)", "OIDC Core §3.1.3.7 (10), RFC 7519 §4.1.5"},
	{QuirkIDTokenHS256, "id_tokens are HS256 with the client secret while only asymmetric algs are advertised", "OIDC Core §3.1.3.7 (6-7), §10.1"},
	{QuirkNonceInvented, "id_tokens carry a nonce the request never sent", "OIDC Core §2, §3.1.2.1"},
	{QuirkAtHashWrong, "at_hash does not match the access token", "OIDC Core §3.1.3.8"},
	{QuirkIssParamMissing, "authorization responses lack the advertised iss parameter", "RFC 9207 §2, §3"},
	{QuirkLogoutOpenRedirect, "end session redirects to an unregistered post_logout_redirect_uri", "OIDC RP-Initiated Logout §3, §5"},
	{QuirkPromptNoneShowsLogin, "prompt=none shows the login page instead of redirecting login_required", "OIDC Core §3.1.2.1, §3.1.2.6"},
	{QuirkPromptLoginIgnored, "prompt=login does not make a signed-in user sign in again", "OIDC Core §3.1.2.1"},
	{QuirkMaxAgeIgnored, "max_age neither forces re-authentication nor updates auth_time", "OIDC Core §3.1.2.1, §2"},
	{QuirkRefreshSubChanged, "a refreshed id_token has another sub", "OIDC Core §12.2"},
	{QuirkUserinfoPostRefused, "UserInfo refuses POST", "OIDC Core §5.3.1"},
}

// OpenIDQuirks lists the names of the OpenID Connect quirks.
func OpenIDQuirks() []Quirk {
	out := make([]Quirk, len(oidcQuirkInfo))
	for i, q := range oidcQuirkInfo {
		out[i] = q.Name
	}
	return out
}
