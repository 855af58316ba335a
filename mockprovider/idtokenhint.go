package mockprovider

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/go-jose/go-jose/v4"
)

// maxHintLength bounds an id_token_hint, which holds a whole id_token.
const maxHintLength = 16 << 10

// hintClaims are the claims of an id_token_hint the provider relies on.
type hintClaims struct {
	Subject  string
	Audience []string
}

// parseIDTokenHint checks that hint is an id_token this provider signed
// with one of its published keys for this issuer, and returns its sub and
// aud. An expired hint is accepted: the hint names a user, it does not
// authenticate one (OIDC Core §3.1.2.1; RP-Initiated Logout §2).
func (p *Provider) parseIDTokenHint(hint, issuer string) (*hintClaims, error) {
	if len(hint) > maxHintLength {
		return nil, fmt.Errorf("id_token_hint is longer than %d bytes", maxHintLength)
	}
	algs := make([]jose.SignatureAlgorithm, 0, len(SigningAlgs()))
	for _, a := range SigningAlgs() {
		algs = append(algs, jose.SignatureAlgorithm(a))
	}
	jws, err := jose.ParseSigned(hint, algs)
	if err != nil {
		// go-jose's text (base64, JWS parts) describes its parser, not the
		// request: the log keeps it, the answer does not.
		p.log.Debug("id_token_hint refused", "reason", err.Error())
		return nil, errors.New("id_token_hint is not a JWT this provider issued (a compact JWS signed with one of its algorithms)")
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("id_token_hint must have exactly one signature")
	}
	keys, err := p.keys.published(p.clock.Now())
	if err != nil {
		return nil, err
	}
	h := jws.Signatures[0].Header
	i := slices.IndexFunc(keys, func(k *signingKey) bool { return k.kid == h.KeyID && k.alg == h.Algorithm })
	if i < 0 {
		return nil, fmt.Errorf("id_token_hint was not signed by a key of this provider (kid %q)", h.KeyID)
	}
	payload, err := jws.Verify(keys[i].signer.Public())
	if err != nil {
		return nil, errors.New("id_token_hint has an invalid signature")
	}
	return parseHintClaims(payload, issuer)
}

// parseHintClaims decodes the claims of a verified hint and checks iss.
func parseHintClaims(payload []byte, issuer string) (*hintClaims, error) {
	var raw struct {
		Issuer   string          `json:"iss"`
		Subject  string          `json:"sub"`
		Audience json.RawMessage `json:"aud"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, errors.New("id_token_hint claims are not a JSON object")
	}
	if raw.Issuer != issuer {
		return nil, fmt.Errorf("id_token_hint was issued by %q, not by this provider (%q)", raw.Issuer, issuer)
	}
	if raw.Subject == "" {
		return nil, errors.New("id_token_hint has no sub")
	}
	out := &hintClaims{Subject: raw.Subject}
	var one string
	if err := json.Unmarshal(raw.Audience, &one); err == nil {
		out.Audience = []string{one}
	} else if err := json.Unmarshal(raw.Audience, &out.Audience); err != nil {
		return nil, errors.New("id_token_hint aud is neither a string nor an array of strings")
	}
	if len(out.Audience) == 0 {
		return nil, errors.New("id_token_hint has no aud")
	}
	return out, nil
}
