// Package mockprovider is a deterministic, conformance-grade mock OAuth 2.0
// provider: the seed's Flask provider (login page, "register application",
// /oauth/authorize, /oauth/token, /oauth/api/me) as an [http.Handler].
//
// Start one in a test like an [net/http/httptest.Server], and get a code or
// a token for a user without going through the HTML pages:
//
//	srv := mockprovider.NewTestServer(t) // or Start, or NewServer
//	conf := srv.OAuth2Config("http://localhost:8000/authorized")
//	tok, err := srv.Token(ctx, "alice", conf)
//
// [Provider.Authorize] answers an authorization URL as if the user approved
// it, [WithAutoApprove] does so over HTTP, and [Provider.QueueError] makes
// the next request to an endpoint fail with a chosen RFC error, to test a
// client's error paths.
//
// Codes, tokens, client ids and secrets come from a seeded source and the
// clock is virtual (it moves only through [Provider.Advance] or
// POST /_mock/clock), so the same seed and the same requests give
// byte-identical responses. The rules it enforces are those of RFC 6749,
// RFC 6750, RFC 7636 and RFC 9700 §4.1.3 (exact redirect URI matching).
//
// It is also an OpenID Provider (OpenID Connect Core 1.0, Discovery 1.0,
// RP-Initiated Logout 1.0, RFC 9207): scope openid gets a signed id_token
// (RS256 by default, per client PS256, ES256 or EdDSA; keys in the JWKS,
// seeded, rotated by [Provider.RotateKeys]), UserInfo answers the claims
// the scopes release plus the custom claims of [User.Claims] and
// [Client.Claims], and clients may ask for RFC 9068 JWT access tokens.
// Its OpenID mistakes are quirks too ([OpenIDQuirks]).
//
// The files follow the endpoints: authorize.go (and callback.go, the
// redirect back), consent.go, login.go, register.go, token.go with a file per grant
// (token_code.go, token_refresh.go, token_client_credentials.go) and
// clientauth.go, me.go, revoke.go, introspect.go, metadata.go, control.go
// (/_mock); for OpenID Connect discovery.go, jwks.go and keys.go,
// idtoken.go (with claims.go and idtokenhint.go), authorize_oidc.go
// (prompt, max_age, login_hint, id_token_hint), userinfo.go, logout.go
// (end session), accesstoken_jwt.go and quirks_oidc.go; page.go, json.go and params.go are the HTML, JSON and request
// parameter plumbing.
package mockprovider
