package scenarios_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
)

// An id_token whose kid is not in the provider's JWKS (a key rotated
// away too early) fails the signature check by name.
func ExampleIDToken_VerifySignature() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "2026-01"))
	jws, _ := signer.Sign([]byte(`{"iss":"https://op.example","sub":"alice","aud":"client-1","iat":1767225600,"exp":1767229200}`))
	raw, _ := jws.CompactSerialize()

	tok, err := scenarios.ParseIDToken(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	jwks := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "2025-12", Algorithm: "ES256", Use: "sig"}}}
	_, err = tok.VerifySignature(jwks, []string{"RS256", "ES256"}, "")
	var failed *scenarios.IDTokenError
	if errors.As(err, &failed) {
		fmt.Println("check:", failed.Check)
	}
	fmt.Println(err)
	// Output:
	// check: kid not found
	// id_token check kid not found failed: kid "2026-01" is not in the JWKS (its kids: "2025-12")
}

// at_hash for an RS256 id_token, with the example of OpenID Connect Core
// 1.0 Appendix A.4.
func ExampleAccessTokenHash() {
	h, _ := scenarios.AccessTokenHash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")
	fmt.Println(h)
	// Output: 77QmUPtjPfzWtF2AnpK9RQ
}
