package scenarios_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
)

const (
	testIssuer = "https://op.example"
	testClient = "client-1"
	testSecret = "a-client-secret-of-thirty-two-bytes!"
)

var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return rk, ek
})

// testJWKS publishes the RSA key as "rsa-1" and the EC key as "ec-1".
func testJWKS(t *testing.T) *jose.JSONWebKeySet {
	rk, ek := testKeys()
	return &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &rk.PublicKey, KeyID: "rsa-1", Algorithm: "RS256", Use: "sig"},
		{Key: &ek.PublicKey, KeyID: "ec-1", Algorithm: "ES256", Use: "sig"},
	}}
}

// sign makes a compact JWS of claims with alg and kid ("none" makes an
// unsecured token).
func sign(t *testing.T, alg, kid string, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	if alg == "none" {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))
		return h + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
	}
	rk, ek := testKeys()
	var key any = rk
	switch {
	case strings.HasPrefix(alg, "ES"):
		key = ek
	case strings.HasPrefix(alg, "HS"):
		key = []byte(testSecret)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: key}, opts)
	require.NoError(t, err)
	jws, err := signer.Sign(payload)
	require.NoError(t, err)
	out, err := jws.CompactSerialize()
	require.NoError(t, err)
	return out
}

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func goodClaims() map[string]any {
	return map[string]any{
		"iss": testIssuer, "sub": "248289761001", "aud": testClient, "nonce": "n-0S6_WzA2Mj",
		"iat": testNow.Unix(), "exp": testNow.Add(time.Hour).Unix(), "auth_time": testNow.Unix(),
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
			continue
		}
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func parse(t *testing.T, raw string) *scenarios.IDToken {
	t.Helper()
	tok, err := scenarios.ParseIDToken(raw)
	require.NoError(t, err)
	return tok
}

// checkOf is the IDTokenCheck an error names ("" for nil).
func checkOf(t *testing.T, err error) scenarios.IDTokenCheck {
	t.Helper()
	if err == nil {
		return ""
	}
	var ie *scenarios.IDTokenError
	require.True(t, errors.As(err, &ie), "not an IDTokenError: %v", err)
	return ie.Check
}

func TestVerifySignatureNamesTheFailedCheck(t *testing.T) {
	rs256 := []string{"RS256"}
	for _, tc := range []struct {
		name       string
		alg, kid   string
		advertised []string
		jwks       func(*jose.JSONWebKeySet)
		secret     string
		tamper     bool
		want       scenarios.IDTokenCheck
	}{
		{name: "RS256 with its kid", alg: "RS256", kid: "rsa-1", advertised: rs256},
		{name: "ES256 advertised", alg: "ES256", kid: "ec-1", advertised: []string{"RS256", "ES256"}},
		{name: "HS256 advertised, client secret", alg: "HS256", advertised: []string{"RS256", "HS256"}, secret: testSecret},
		{name: "alg none", alg: "none", advertised: []string{"RS256", "none"}, want: scenarios.CheckAlgNone},
		{name: "HS256 not advertised", alg: "HS256", advertised: rs256, secret: testSecret, want: scenarios.CheckAlgAdvertised},
		{name: "ES256 not advertised", alg: "ES256", kid: "ec-1", advertised: rs256, want: scenarios.CheckAlgAdvertised},
		{name: "kid not in the JWKS", alg: "RS256", kid: "rotated-away", advertised: rs256, want: scenarios.CheckKidNotFound},
		{name: "no kid, several keys", alg: "RS256", advertised: rs256, want: scenarios.CheckKidNotFound},
		{name: "no kid, one key", alg: "RS256", advertised: rs256, jwks: func(s *jose.JSONWebKeySet) { s.Keys = s.Keys[:1] }},
		{name: "key for another alg", alg: "RS256", kid: "rsa-1", advertised: rs256,
			jwks: func(s *jose.JSONWebKeySet) { s.Keys[0].Algorithm = "PS256" }, want: scenarios.CheckAlgMismatch},
		{name: "HS256 wrong secret", alg: "HS256", advertised: []string{"HS256", "RS256"}, secret: "another secret", want: scenarios.CheckSignature},
		{name: "payload changed after signing", alg: "RS256", kid: "rsa-1", advertised: rs256, tamper: true, want: scenarios.CheckSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := sign(t, tc.alg, tc.kid, goodClaims())
			if tc.tamper {
				parts := strings.Split(raw, ".")
				parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://evil.example","sub":"x"}`))
				raw = strings.Join(parts, ".")
			}
			set := testJWKS(t)
			if tc.jwks != nil {
				tc.jwks(set)
			}
			_, err := parse(t, raw).VerifySignature(set, tc.advertised, tc.secret)
			assert.Equal(t, tc.want, checkOf(t, err), "%v", err)
		})
	}
}

func TestClaimChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		claims map[string]any
		check  func(*scenarios.IDToken) error
		want   scenarios.IDTokenCheck
	}{
		{"iss exact", goodClaims(), func(tok *scenarios.IDToken) error { return tok.CheckIssuerClaim(testIssuer) }, ""},
		{"iss trailing slash", with(goodClaims(), "iss", testIssuer+"/"),
			func(tok *scenarios.IDToken) error { return tok.CheckIssuerClaim(testIssuer) }, scenarios.CheckIssuer},
		{"iss missing", with(goodClaims(), "iss", nil), func(tok *scenarios.IDToken) error { return tok.CheckIssuerClaim(testIssuer) }, scenarios.CheckIssuer},
		{"aud string", goodClaims(), audCheck, ""},
		{"aud array with azp", with(goodClaims(), "aud", []string{"api", testClient}, "azp", testClient), audCheck, ""},
		{"aud another client", with(goodClaims(), "aud", "client-2"), audCheck, scenarios.CheckAudience},
		{"aud is the issuer", with(goodClaims(), "aud", testIssuer), audCheck, scenarios.CheckAudience},
		{"several aud, no azp", with(goodClaims(), "aud", []string{"api", testClient}), audCheck, scenarios.CheckAuthorizedPart},
		{"azp another client", with(goodClaims(), "azp", "client-2"), audCheck, scenarios.CheckAuthorizedPart},
		{"times fine", goodClaims(), timesCheck, ""},
		{"exp equals iat", with(goodClaims(), "exp", testNow.Unix()), timesCheck, scenarios.CheckExpiry},
		{"expired", with(goodClaims(), "iat", testNow.Add(-2*time.Hour).Unix(), "exp", testNow.Add(-time.Hour).Unix()), timesCheck, scenarios.CheckExpiry},
		{"iat an hour ahead", with(goodClaims(), "iat", testNow.Add(time.Hour).Unix(), "exp", testNow.Add(2*time.Hour).Unix()), timesCheck, scenarios.CheckIssuedAt},
		{"nbf an hour ahead", with(goodClaims(), "nbf", testNow.Add(time.Hour).Unix()), timesCheck, scenarios.CheckNotBefore},
		{"iat a second ahead", with(goodClaims(), "iat", testNow.Add(time.Second).Unix()), timesCheck, ""},
		{"exp missing", with(goodClaims(), "exp", nil), timesCheck, scenarios.CheckExpiry},
		{"iat missing", with(goodClaims(), "iat", nil), timesCheck, scenarios.CheckIssuedAt},
		{"nonce echoed", goodClaims(), nonceCheck("n-0S6_WzA2Mj"), ""},
		{"nonce dropped", with(goodClaims(), "nonce", nil), nonceCheck("n-0S6_WzA2Mj"), scenarios.CheckNonce},
		{"nonce changed", goodClaims(), nonceCheck("n-0S6_WzA2Mk"), scenarios.CheckNonce},
		{"nonce invented", goodClaims(), nonceCheck(""), scenarios.CheckNonce},
		{"no nonce, none sent", with(goodClaims(), "nonce", nil), nonceCheck(""), ""},
		{"sub fine", goodClaims(), (*scenarios.IDToken).CheckSubjectClaim, ""},
		{"sub missing", with(goodClaims(), "sub", nil), (*scenarios.IDToken).CheckSubjectClaim, scenarios.CheckSubject},
		{"sub too long", with(goodClaims(), "sub", strings.Repeat("s", 256)), (*scenarios.IDToken).CheckSubjectClaim, scenarios.CheckSubject},
		{"sub not ASCII", with(goodClaims(), "sub", "alicé"), (*scenarios.IDToken).CheckSubjectClaim, scenarios.CheckSubject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := parse(t, sign(t, "RS256", "rsa-1", tc.claims))
			err := tc.check(tok)
			assert.Equal(t, tc.want, checkOf(t, err), "%v", err)
		})
	}
}

func audCheck(tok *scenarios.IDToken) error {
	_, err := tok.CheckAudienceClaim(testClient)
	return err
}

func timesCheck(tok *scenarios.IDToken) error { return tok.CheckTimes(testNow) }

func nonceCheck(sent string) func(*scenarios.IDToken) error {
	return func(tok *scenarios.IDToken) error { return tok.CheckNonceClaim(sent) }
}

// TestAccessTokenHash uses the example of OpenID Connect Core 1.0
// Appendix A.4 (RS256).
func TestAccessTokenHash(t *testing.T) {
	got, err := scenarios.AccessTokenHash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")
	require.NoError(t, err)
	assert.Equal(t, "77QmUPtjPfzWtF2AnpK9RQ", got)
	_, err = scenarios.AccessTokenHash("none", "x")
	assert.Error(t, err)

	at := "an-access-token"
	hash, err := scenarios.AccessTokenHash("ES256", at)
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		claims  map[string]any
		present bool
		want    scenarios.IDTokenCheck
	}{
		{"absent", goodClaims(), false, ""},
		{"right", with(goodClaims(), "at_hash", hash), true, ""},
		{"hash of another value", with(goodClaims(), "at_hash", "77QmUPtjPfzWtF2AnpK9RQ"), true, scenarios.CheckAccessHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			present, err := parse(t, sign(t, "ES256", "ec-1", tc.claims)).CheckAccessTokenHash(at)
			assert.Equal(t, tc.present, present)
			assert.Equal(t, tc.want, checkOf(t, err), "%v", err)
		})
	}
}

func TestParseIDTokenRefusesMalformedTokens(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct{ name, raw, want string }{
		{"two parts", "a.b", "three"},
		{"encrypted", "a.b.c.d.e", "JWE"},
		{"header not base64url", "!!." + enc(`{}`) + ".", "base64url"},
		{"header not an object", enc(`"RS256"`) + "." + enc(`{}`) + ".", "JSON object"},
		{"claims not an object", enc(`{"alg":"none"}`) + "." + enc(`[1]`) + ".", "JSON object"},
		{"aud a number", enc(`{"alg":"none"}`) + "." + enc(`{"aud":1}`) + ".", "claims"},
		{"exp a string", enc(`{"alg":"none"}`) + "." + enc(`{"exp":"tomorrow"}`) + ".", "claims"},
		{"too long", strings.Repeat("a", 70<<10), "KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.ParseIDToken(tc.raw)
			require.Error(t, err)
			assert.Equal(t, scenarios.CheckFormat, checkOf(t, err))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func FuzzParseIDToken(f *testing.F) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	f.Add(enc(`{"alg":"RS256","kid":"k"}`) + "." + enc(`{"iss":"x","aud":["a","b"],"exp":1.5,"nonce":"n"}`) + ".c2ln")
	f.Add(enc(`{"alg":"none"}`) + "." + enc(`{"at_hash":"x","auth_time":0}`) + ".")
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := scenarios.ParseIDToken(raw)
		if err != nil {
			return
		}
		assert.Equal(t, raw, tok.Raw)
		_, _ = tok.CheckAudienceClaim("a")
		_ = tok.CheckTimes(testNow)
		_, _ = tok.CheckAccessTokenHash("x")
		_, _ = tok.VerifySignature(&jose.JSONWebKeySet{}, []string{tok.Header.Alg}, "s")
	})
}
