package scenarios

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// IDTokenCheck names one check a relying party makes on an id_token
// (OpenID Connect Core 1.0 §3.1.3.7), so that a verdict says which one
// failed rather than only that verification failed.
type IDTokenCheck string

// The id_token checks.
const (
	CheckFormat         IDTokenCheck = "format"   // a JWS in compact serialization (RFC 7515 §7.1)
	CheckAlgNone        IDTokenCheck = "alg none" // Core §3.1.3.7 #7, §16.14
	CheckAlgAdvertised  IDTokenCheck = "alg not advertised"
	CheckAlgMismatch    IDTokenCheck = "alg mismatch"  // the header's alg is not the key's
	CheckKidNotFound    IDTokenCheck = "kid not found" // Core §10.1
	CheckSignature      IDTokenCheck = "signature"     // Core §3.1.3.7 #6
	CheckIssuer         IDTokenCheck = "iss"           // Core §3.1.3.7 #2
	CheckAudience       IDTokenCheck = "aud"           // Core §3.1.3.7 #3
	CheckAuthorizedPart IDTokenCheck = "azp"           // Core §3.1.3.7 #4-5
	CheckExpiry         IDTokenCheck = "exp"           // Core §3.1.3.7 #9
	CheckIssuedAt       IDTokenCheck = "iat"           // Core §3.1.3.7 #10
	CheckNotBefore      IDTokenCheck = "nbf"           // RFC 7519 §4.1.5
	CheckSubject        IDTokenCheck = "sub"           // Core §2
	CheckNonce          IDTokenCheck = "nonce"         // Core §3.1.3.7 #11
	CheckAccessHash     IDTokenCheck = "at_hash"       // Core §3.1.3.8
)

// IDTokenError says which check of an id_token failed and why.
type IDTokenError struct {
	Check  IDTokenCheck
	Reason string
}

func (e *IDTokenError) Error() string {
	return "id_token check " + string(e.Check) + " failed: " + e.Reason
}

func idTokenErr(c IDTokenCheck, format string, args ...any) error {
	return &IDTokenError{Check: c, Reason: fmt.Sprintf(format, args...)}
}

// JOSEHeader is the part of an id_token's JOSE header the checks read
// (RFC 7515 §4.1).
type JOSEHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	Typ string `json:"typ,omitempty"`
}

// IDToken is an id_token as a relying party receives it (Core §2): its
// header and claims decoded but not trusted. Each claim check reads it on
// its own; only [IDToken.VerifySignature] judges the signature, so that
// a bad signature fails the signature check and not every other one.
type IDToken struct {
	Raw    string
	Header JOSEHeader
	// Claims are the registered claims, as go-jose reads them.
	Claims   jwt.Claims
	Nonce    string
	AtHash   string
	Azp      string
	AuthTime *jwt.NumericDate
	// All holds every claim of the payload.
	All map[string]any
}

// maxIDToken bounds what ParseIDToken reads: an id_token is a few KiB.
const maxIDToken = 64 << 10

// idTokenClaims are the claims ParseIDToken decodes beside jwt.Claims.
type idTokenClaims struct {
	jwt.Claims
	Nonce    string           `json:"nonce,omitempty"`
	AtHash   string           `json:"at_hash,omitempty"`
	Azp      string           `json:"azp,omitempty"`
	AuthTime *jwt.NumericDate `json:"auth_time,omitempty"`
}

// ParseIDToken decodes an id_token in JWS compact serialization (RFC 7515
// §7.1) without verifying it. An unsecured token (alg none, empty
// signature) parses too, so that its alg can be reported.
func ParseIDToken(raw string) (*IDToken, error) {
	if len(raw) > maxIDToken {
		return nil, idTokenErr(CheckFormat, "%d bytes; an id_token is a few KiB", len(raw))
	}
	parts := strings.Split(raw, ".")
	switch {
	case len(parts) == 5:
		return nil, idTokenErr(CheckFormat, "an encrypted id_token (JWE, five parts) is not supported by the suite")
	case len(parts) != 3:
		return nil, idTokenErr(CheckFormat, "%d dot-separated parts; a JWS in compact serialization has three (RFC 7515 §7.1)", len(parts))
	}
	tok := &IDToken{Raw: raw}
	if err := decodeSegment(parts[0], &tok.Header); err != nil {
		return nil, idTokenErr(CheckFormat, "the JOSE header: %v", err)
	}
	var c idTokenClaims
	if err := decodeSegment(parts[1], &c); err != nil {
		return nil, idTokenErr(CheckFormat, "the claims: %v", err)
	}
	if err := decodeSegment(parts[1], &tok.All); err != nil {
		return nil, idTokenErr(CheckFormat, "the claims: %v", err)
	}
	tok.Claims, tok.Nonce, tok.AtHash, tok.Azp, tok.AuthTime = c.Claims, c.Nonce, c.AtHash, c.Azp, c.AuthTime
	return tok, nil
}

// decodeSegment decodes one base64url segment holding a JSON object.
func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return fmt.Errorf("not base64url without padding (RFC 7515 §2): %v", err)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return errors.New("not a JSON object")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("not the JSON object expected: %v", err)
	}
	return nil
}

// VerifySignature checks the signature as Core §3.1.3.7 #6-8 and §10.1
// say: alg is not none and is one the provider advertises, the key is
// the JWKS key the header's kid names (or the only one, without kid), its
// alg agrees, and the signature verifies. An HS* alg is verified with the
// client secret (Core §10.1). It returns the key id used.
func (tok *IDToken) VerifySignature(keys *jose.JSONWebKeySet, advertised []string, clientSecret string) (string, error) {
	alg := tok.Header.Alg
	if alg == "" || strings.EqualFold(alg, "none") {
		return "", idTokenErr(CheckAlgNone, "alg is %q: the id_token is not signed (Core §3.1.3.7 #7, §16.14)", alg)
	}
	if !slices.Contains(advertised, alg) {
		return "", idTokenErr(CheckAlgAdvertised, "alg %q is not in the discovered id_token_signing_alg_values_supported %v", alg, advertised)
	}
	var key any
	kid := tok.Header.Kid
	if strings.HasPrefix(alg, "HS") {
		key, kid = []byte(clientSecret), "the client secret"
	} else {
		k, err := signingKey(keys, tok.Header)
		if err != nil {
			return "", err
		}
		key, kid = k.Key, k.KeyID
	}
	jws, err := jose.ParseSignedCompact(tok.Raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		return kid, idTokenErr(CheckSignature, "go-jose cannot read the JWS: %v", err)
	}
	if _, err := jws.Verify(key); err != nil {
		return kid, idTokenErr(CheckSignature, "the signature does not verify with key %q (%s): %v", kid, alg, err)
	}
	return kid, nil
}

// signingKey finds the JWKS key for a header: by kid, or the one
// signature key when the header has no kid (Core §10.1).
func signingKey(keys *jose.JSONWebKeySet, h JOSEHeader) (*jose.JSONWebKey, error) {
	var cands []jose.JSONWebKey
	for _, k := range keys.Keys {
		if k.Use == "enc" || (h.Kid != "" && k.KeyID != h.Kid) {
			continue
		}
		cands = append(cands, k)
	}
	switch {
	case len(cands) == 0 && h.Kid != "":
		return nil, idTokenErr(CheckKidNotFound, "kid %q is not in the JWKS (its kids: %s)", h.Kid, kidList(keys))
	case len(cands) == 0:
		return nil, idTokenErr(CheckKidNotFound, "the JWKS has no signature key")
	case len(cands) > 1 && h.Kid == "":
		return nil, idTokenErr(CheckKidNotFound, "the header has no kid and the JWKS has %d signature keys (Core §10.1: kid is then required)", len(cands))
	}
	for i := range cands {
		if cands[i].Algorithm == "" || cands[i].Algorithm == h.Alg {
			return &cands[i], nil
		}
	}
	return nil, idTokenErr(CheckAlgMismatch, "the header says alg %q but JWKS key %q is for %q", h.Alg, cands[0].KeyID, cands[0].Algorithm)
}

func kidList(keys *jose.JSONWebKeySet) string {
	var ids []string
	for _, k := range keys.Keys {
		ids = append(ids, fmt.Sprintf("%q", k.KeyID))
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// CheckIssuerClaim checks that iss is exactly the issuer (Core §3.1.3.7
// #2): no trailing slash, case or scheme difference.
func (tok *IDToken) CheckIssuerClaim(issuer string) error {
	if tok.Claims.Issuer != issuer {
		return idTokenErr(CheckIssuer, "iss is %q, the discovered issuer is %q (they must be identical)", tok.Claims.Issuer, issuer)
	}
	return nil
}

// CheckAudienceClaim checks that aud contains the client id and, with
// several audiences, that azp is the client id (Core §3.1.3.7 #3-5). It
// returns a note when the token names other audiences.
func (tok *IDToken) CheckAudienceClaim(clientID string) (string, error) {
	aud := tok.Claims.Audience
	if !aud.Contains(clientID) {
		return "", idTokenErr(CheckAudience, "aud is %q and does not contain the client id %q", []string(aud), clientID)
	}
	if tok.Azp != "" && tok.Azp != clientID {
		return "", idTokenErr(CheckAuthorizedPart, "azp is %q, not the client id %q", tok.Azp, clientID)
	}
	if len(aud) > 1 {
		if tok.Azp == "" {
			return "", idTokenErr(CheckAuthorizedPart, "aud has %d audiences %q and no azp (Core §2: azp is then the client)", len(aud), []string(aud))
		}
		return fmt.Sprintf("aud names %d audiences; azp is the client", len(aud)), nil
	}
	return "", nil
}

// TimeLeeway is how far iat may be ahead of the provider's clock: the
// provider's Date header has one-second resolution and the token may
// come from another node.
const TimeLeeway = 2 * time.Minute

// CheckTimes checks exp and iat against the provider's clock now (Core
// §2, §3.1.3.7 #9-10): both present, exp after iat and after now, iat
// (and nbf, when present) not after now, within [TimeLeeway].
func (tok *IDToken) CheckTimes(now time.Time) error {
	exp, iat := tok.Claims.Expiry, tok.Claims.IssuedAt
	if exp == nil {
		return idTokenErr(CheckExpiry, "exp is missing (Core §2: REQUIRED)")
	}
	if iat == nil {
		return idTokenErr(CheckIssuedAt, "iat is missing (Core §2: REQUIRED)")
	}
	if !exp.Time().After(iat.Time()) {
		return idTokenErr(CheckExpiry, "exp %s is not after iat %s: the token was expired when issued", stamp(exp), stamp(iat))
	}
	if iat.Time().After(now.Add(TimeLeeway)) {
		return idTokenErr(CheckIssuedAt, "iat %s is after the provider's time %s (more than %s ahead)", stamp(iat), now.UTC().Format(time.RFC3339), TimeLeeway)
	}
	err := tok.Claims.ValidateWithLeeway(jwt.Expected{Time: now}, TimeLeeway)
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return idTokenErr(CheckExpiry, "exp %s is before the provider's time %s", stamp(exp), now.UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrNotValidYet):
		return idTokenErr(CheckNotBefore, "nbf %s is after the provider's time %s", stamp(tok.Claims.NotBefore), now.UTC().Format(time.RFC3339))
	case err != nil:
		return idTokenErr(CheckExpiry, "%v", err)
	}
	return nil
}

func stamp(d *jwt.NumericDate) string { return d.Time().UTC().Format(time.RFC3339) }

// CheckSubjectClaim checks that sub is present and at most 255 ASCII
// characters (Core §2).
func (tok *IDToken) CheckSubjectClaim() error {
	sub := tok.Claims.Subject
	switch {
	case sub == "":
		return idTokenErr(CheckSubject, "sub is missing or empty (Core §2: REQUIRED)")
	case len(sub) > 255:
		return idTokenErr(CheckSubject, "sub is %d characters; Core §2 allows 255 ASCII characters", utf8.RuneCountInString(sub))
	}
	for _, r := range sub {
		if r > 0x7e || r < 0x20 {
			return idTokenErr(CheckSubject, "sub %q has a character outside printable ASCII (Core §2)", sub)
		}
	}
	return nil
}

// CheckNonceClaim checks the nonce: the value sent, exactly, or none
// when none was sent (Core §2, §3.1.3.7 #11).
func (tok *IDToken) CheckNonceClaim(sent string) error {
	_, has := tok.All["nonce"]
	switch {
	case sent == "" && has:
		return idTokenErr(CheckNonce, "the id_token carries nonce %q although the request sent none", tok.All["nonce"])
	case sent != "" && !has:
		return idTokenErr(CheckNonce, "the id_token has no nonce; the request sent %q", sent)
	case sent != "" && tok.Nonce != sent:
		return idTokenErr(CheckNonce, "nonce is %q, the request sent %q", tok.Nonce, sent)
	}
	return nil
}

// CheckAccessTokenHash checks at_hash against the access token (Core
// §3.1.3.8). present is false when the token has no at_hash, which the
// code flow allows.
func (tok *IDToken) CheckAccessTokenHash(accessToken string) (present bool, err error) {
	if _, ok := tok.All["at_hash"]; !ok {
		return false, nil
	}
	want, err := AccessTokenHash(tok.Header.Alg, accessToken)
	if err != nil {
		return true, idTokenErr(CheckAccessHash, "%v", err)
	}
	if tok.AtHash != want {
		return true, idTokenErr(CheckAccessHash, "at_hash is %q; the access token's is %q (left half of its %s hash)", tok.AtHash, want, hashName(tok.Header.Alg))
	}
	return true, nil
}

// AccessTokenHash is the at_hash of an access token for a JWS alg (Core
// §3.1.3.6): the base64url of the left half of the token's hash, with the
// hash of the alg (SHA-256 for RS256, ES256, PS256, HS256; SHA-512 for
// EdDSA with Ed25519).
func AccessTokenHash(alg, accessToken string) (string, error) {
	h := hashFor(alg)
	if h == nil {
		return "", fmt.Errorf("alg %q has no hash to compute at_hash with", alg)
	}
	h.Write([]byte(accessToken))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), nil
}

func hashFor(alg string) hash.Hash {
	switch {
	case alg == "EdDSA" || strings.HasSuffix(alg, "512"):
		return sha512.New()
	case strings.HasSuffix(alg, "384"):
		return sha512.New384()
	case strings.HasSuffix(alg, "256"):
		return sha256.New()
	}
	return nil
}

func hashName(alg string) string {
	switch {
	case alg == "EdDSA" || strings.HasSuffix(alg, "512"):
		return "SHA-512"
	case strings.HasSuffix(alg, "384"):
		return "SHA-384"
	}
	return "SHA-256"
}
