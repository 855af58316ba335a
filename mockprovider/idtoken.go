package mockprovider

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// idTokenRequest is what an id_token is made of (OIDC Core §2, §3.1.3.6).
type idTokenRequest struct {
	issuer   string
	client   *Client
	user     *User
	scopes   []string
	nonce    string
	authTime time.Time
	// accessToken is the access token issued with the id_token, for at_hash.
	accessToken string
	// refresh is set for an id_token issued by a refresh (OIDC Core §12.2).
	refresh bool
}

// idToken builds and signs an id_token, subject to the quirks in qs.
func (p *Provider) idToken(req idTokenRequest, qs quirkSet) (string, error) {
	alg := req.client.signingAlg()
	claims := p.idTokenClaims(req, alg, qs)
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("mockprovider: id_token claims: %w", err)
	}
	switch {
	case qs.has(QuirkIDTokenUnsigned):
		return unsignedJWT(payload), nil
	case qs.has(QuirkIDTokenHS256):
		key := req.client.Secret
		if key == "" {
			key = req.client.ID // a public client has no secret to misuse
		}
		return hs256JWT(payload, []byte(key)), nil
	}
	return p.signJWT(alg, "JWT", payload)
}

// idTokenClaims are the claims of an id_token (OIDC Core §2), the user's
// claims for the scopes (§5.4) and the custom claims.
func (p *Provider) idTokenClaims(req idTokenRequest, alg string, qs quirkSet) map[string]any {
	now := p.clock.Now()
	iat, exp := now, now.Add(p.cfg.tokenLifetime)
	claims := userClaims(req.user, req.client, req.scopes)
	maps.Copy(claims, map[string]any{
		"iss":       tokenIssuer(req.issuer, qs),
		"aud":       req.client.ID,
		"auth_time": req.authTime.Unix(),
	})
	switch {
	case qs.has(QuirkIDTokenExpired):
		exp = iat.Add(-time.Second)
	case qs.has(QuirkIDTokenFutureIat):
		iat, exp = now.Add(time.Hour), now.Add(time.Hour+p.cfg.tokenLifetime)
		claims["nbf"] = iat.Unix()
	}
	claims["iat"], claims["exp"] = iat.Unix(), exp.Unix()
	if qs.has(QuirkIDTokenWrongAudience) {
		claims["aud"] = req.issuer
	}
	switch {
	case req.nonce != "" && !qs.has(QuirkIDTokenNonceDropped):
		claims["nonce"] = req.nonce
	case req.nonce == "" && !req.refresh && qs.has(QuirkNonceInvented):
		claims["nonce"] = "n-" + DefaultSubject(req.client.ID + req.authTime.String())[:12]
	}
	if req.accessToken != "" {
		hashed := req.accessToken
		if qs.has(QuirkAtHashWrong) {
			hashed = "not-" + req.accessToken
		}
		claims["at_hash"] = tokenHash(alg, hashed)
	}
	if req.refresh && qs.has(QuirkRefreshSubChanged) {
		claims["sub"] = fmt.Sprint(claims["sub"]) + ".refreshed"
	}
	return claims
}

// tokenIssuer is the iss of the provider's tokens.
func tokenIssuer(issuer string, qs quirkSet) string {
	if qs.has(QuirkIssuerTrailingSlash) {
		return issuer + "/"
	}
	return issuer
}

// signingAlg is the client's id_token signing algorithm.
func (c *Client) signingAlg() string {
	if c.IDTokenSignedResponseAlg != "" {
		return c.IDTokenSignedResponseAlg
	}
	return AlgRS256
}

// signJWT signs payload with the current key of alg; typ is the JOSE
// header's typ ("JWT", or "at+jwt" for RFC 9068 access tokens).
func (p *Provider) signJWT(alg, typ string, payload []byte) (string, error) {
	k, err := p.keys.key(alg)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: jose.JSONWebKey{Key: k.signer, KeyID: k.kid, Algorithm: alg}},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)))
	if err != nil {
		return "", fmt.Errorf("mockprovider: signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("mockprovider: signing: %w", err)
	}
	return jws.CompactSerialize()
}

// tokenHash is at_hash (OIDC Core §3.1.3.6): the base64url left half of
// the hash of the token, with the hash of the signing algorithm (SHA-512
// for EdDSA, as go-oidc and the OpenID Foundation's errata use).
func tokenHash(alg, token string) string {
	var h hash.Hash = sha256.New()
	if alg == AlgEdDSA {
		h = sha512.New()
	}
	h.Write([]byte(token))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// unsignedJWT is an unsecured JWT (RFC 7519 §6): the id-token-unsigned quirk.
func unsignedJWT(payload []byte) string {
	return b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(string(payload)) + "."
}

// hs256JWT signs with HMAC SHA-256 by hand, whatever the key length: the
// id-token-hs256-client-secret quirk.
func hs256JWT(payload, key []byte) string {
	input := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(string(payload))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// addIDToken adds the id_token to a token response whose scope has
// openid and which has a user (OIDC Core §3.1.3.3, §12.2). It signs after
// p.mu is released, so that signatures do not hold up other requests.
func (p *Provider) addIDToken(resp *TokenResponse, qs quirkSet) *Error {
	p.mu.Lock()
	at, ok := p.st.tokens.Get(resp.AccessToken)
	var req idTokenRequest
	if ok && at.username != "" && grantedOpenID(at.scopes) && p.st.clients[at.clientID] != nil {
		client := *p.st.clients[at.clientID]
		req = idTokenRequest{issuer: at.issuer, client: &client, user: p.st.users[at.username], scopes: at.scopes,
			nonce: at.nonce, authTime: at.authTime, accessToken: at.value, refresh: at.refreshed}
	}
	p.mu.Unlock()
	if req.user == nil {
		return nil
	}
	raw, err := p.idToken(req, qs)
	if err != nil {
		p.log.Error("id_token", "err", err)
		return ErrServerError.WithDescription("the id_token could not be signed")
	}
	resp.IDToken = raw
	return nil
}
