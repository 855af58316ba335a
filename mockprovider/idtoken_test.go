package mockprovider

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testIssuer = "http://127.0.0.1:9000"

func testIDTokenRequest(p *Provider) idTokenRequest {
	c := p.client(SeedClientID)
	u := DefaultUsers()[0]
	return idTokenRequest{issuer: testIssuer, client: c, user: &u, scopes: []string{"openid", "email", "profile"},
		nonce: "n-0S6_WzA2Mj", authTime: p.Now().Add(-time.Minute), accessToken: "SlAV32hkKG"}
}

// verifyWithJWKS checks a JWS against the provider's JWKS and returns its
// header and claims.
func verifyWithJWKS(t *testing.T, p *Provider, raw string) (jose.Header, map[string]any) {
	t.Helper()
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.EdDSA})
	require.NoError(t, err)
	set, err := p.JWKS()
	require.NoError(t, err)
	h := jws.Signatures[0].Header
	keys := set.Key(h.KeyID)
	require.Len(t, keys, 1, "kid %s is in the JWKS once", h.KeyID)
	payload, err := jws.Verify(keys[0])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	return h, claims
}

func TestIDTokenClaims(t *testing.T) {
	t.Parallel()
	p, err := New()
	require.NoError(t, err)
	req := testIDTokenRequest(p)
	raw, err := p.idToken(req, quirkSet{})
	require.NoError(t, err)
	h, claims := verifyWithJWKS(t, p, raw)
	assert.Equal(t, "RS256", h.Algorithm)
	assert.Equal(t, "JWT", h.ExtraHeaders["typ"])
	now := p.Now().Unix()
	want := map[string]any{
		"iss": testIssuer, "sub": DefaultSubject("alice"), "aud": SeedClientID,
		"iat": float64(now), "exp": float64(now + 3600), "auth_time": float64(now - 60),
		"nonce": "n-0S6_WzA2Mj", "at_hash": tokenHash(AlgRS256, "SlAV32hkKG"),
		"email": "alice@example.com", "preferred_username": "alice",
	}
	for k, v := range want {
		assert.Equal(t, v, claims[k], "claim %s", k)
	}
	again, err := p.idToken(req, quirkSet{})
	require.NoError(t, err)
	assert.Equal(t, raw, again, "RS256 id_tokens are deterministic")
}

func TestIDTokenAlgorithmPerClient(t *testing.T) {
	t.Parallel()
	for _, alg := range SigningAlgs() {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			p, err := New()
			require.NoError(t, err)
			req := testIDTokenRequest(p)
			req.client.IDTokenSignedResponseAlg = alg
			raw, err := p.idToken(req, quirkSet{})
			require.NoError(t, err)
			h, claims := verifyWithJWKS(t, p, raw)
			assert.Equal(t, alg, h.Algorithm)
			assert.NotEmpty(t, h.KeyID)
			assert.Equal(t, tokenHash(alg, req.accessToken), claims["at_hash"])
		})
	}
}

// TestATHash checks at_hash (OIDC Core §3.1.3.6) against a value Google
// returned, and the SHA-512 variant against the one go-oidc's tests use.
func TestATHash(t *testing.T) {
	t.Parallel()
	const googleAccessToken = "ya29.CjHSA1l5WUn8xZ6HanHFzzdHdbXm-14rxnC7JHch9eFIsZkQEGoWzaYG4o7k5f6BnPLj"
	assert.Equal(t, "piwt8oCH-K2D9pXlaS1Y-w", tokenHash(AlgRS256, googleAccessToken))
	assert.Equal(t, "Spa_APgwBrarSeQbxI-rbragXho6dqFpH5x9PqaPfUI", tokenHash(AlgEdDSA, googleAccessToken))
}

func decodePart(t *testing.T, part string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestIDTokenQuirks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quirk Quirk
		check func(t *testing.T, req idTokenRequest, header, claims map[string]any, sig string)
	}{
		{QuirkIDTokenWrongAudience, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.Equal(t, testIssuer, c["aud"])
		}},
		{QuirkIDTokenNonceDropped, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.NotContains(t, c, "nonce")
		}},
		{QuirkIDTokenUnsigned, func(t *testing.T, req idTokenRequest, h, _ map[string]any, sig string) {
			assert.Equal(t, "none", h["alg"])
			assert.Empty(t, sig)
		}},
		{QuirkIssuerTrailingSlash, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.Equal(t, testIssuer+"/", c["iss"])
		}},
		{QuirkIDTokenExpired, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.Less(t, c["exp"], c["iat"])
		}},
		{QuirkIDTokenFutureIat, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.Equal(t, float64(DefaultEpoch.Add(time.Hour).Unix()), c["iat"])
			assert.Equal(t, c["iat"], c["nbf"])
		}},
		{QuirkIDTokenHS256, func(t *testing.T, req idTokenRequest, h, _ map[string]any, sig string) {
			assert.Equal(t, "HS256", h["alg"])
			assert.NotEmpty(t, sig)
		}},
		{QuirkAtHashWrong, func(t *testing.T, req idTokenRequest, _, c map[string]any, _ string) {
			assert.NotEqual(t, tokenHash(AlgRS256, req.accessToken), c["at_hash"])
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.quirk), func(t *testing.T) {
			t.Parallel()
			p, err := New()
			require.NoError(t, err)
			req := testIDTokenRequest(p)
			raw, err := p.idToken(req, quirkSet{on: map[Quirk]bool{tt.quirk: true}})
			require.NoError(t, err)
			parts := strings.Split(raw, ".")
			require.Len(t, parts, 3)
			tt.check(t, req, decodePart(t, parts[0]), decodePart(t, parts[1]), parts[2])
		})
	}
}

func TestNonceQuirksAndRefresh(t *testing.T) {
	t.Parallel()
	p, err := New()
	require.NoError(t, err)
	req := testIDTokenRequest(p)
	req.nonce = ""
	claims := p.idTokenClaims(req, AlgRS256, quirkSet{})
	assert.NotContains(t, claims, "nonce", "no nonce asked, none given")
	claims = p.idTokenClaims(req, AlgRS256, quirkSet{on: map[Quirk]bool{QuirkNonceInvented: true}})
	assert.Contains(t, claims, "nonce")

	req.refresh = true
	claims = p.idTokenClaims(req, AlgRS256, quirkSet{})
	assert.Equal(t, DefaultSubject("alice"), claims["sub"])
	claims = p.idTokenClaims(req, AlgRS256, quirkSet{on: map[Quirk]bool{QuirkRefreshSubChanged: true}})
	assert.NotEqual(t, DefaultSubject("alice"), claims["sub"])
}
