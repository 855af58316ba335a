// Package mockprovider is a deterministic, conformance-grade mock OAuth 2.0
// provider: the seed's Flask provider (login page, "register application",
// /oauth/authorize, /oauth/token, /oauth/api/me) as an [http.Handler].
//
// Start one in a test exactly like an [net/http/httptest.Server]:
//
//	srv := mockprovider.NewServer()
//	defer srv.Close()
//	conf := srv.OAuth2Config("http://localhost:8000/authorized")
//
// Codes, tokens, client ids and secrets come from a seeded source and the
// clock is virtual (it moves only through [Provider.Advance] or
// POST /_mock/clock), so the same seed and the same requests give
// byte-identical responses. The rules it enforces are those of RFC 6749,
// RFC 6750, RFC 7636 and RFC 9700 §4.1.3 (exact redirect URI matching).
package mockprovider
