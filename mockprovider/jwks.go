package mockprovider

import (
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// JWKS returns the provider's public keys as a JWK Set (RFC 7517 §5): the
// current key of each algorithm in [SigningAlgs], then the keys rotated
// out that are still in their grace period.
func (p *Provider) JWKS() (jose.JSONWebKeySet, error) {
	return p.jwks(p.quirkSet())
}

func (p *Provider) jwks(qs quirkSet) (jose.JSONWebKeySet, error) {
	keys, err := p.keys.published(p.clock.Now())
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range keys {
		kid := k.kid
		if qs.has(QuirkJWKSMissingKid) {
			kid += "-jwks"
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.signer.Public(), KeyID: kid, Algorithm: k.alg, Use: "sig"})
	}
	return set, nil
}

// handleJWKS serves the JWK Set named by jwks_uri (OIDC Core §10.1,
// Discovery §3).
func (p *Provider) handleJWKS(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	set, err := p.JWKS()
	if err != nil {
		p.log.Error("jwks", "err", err)
		writeJSONError(w, ErrServerError.WithDescription("the signing keys are unavailable"))
		return
	}
	writeJSON(w, http.StatusOK, set)
}

// RotateKeys retires the current signing keys and creates new ones (the
// next generation of the seeded keys). The old keys stay in the JWKS for
// grace on the provider's clock; grace <= 0 means [DefaultKeyGrace], and
// a grace above [MaxKeyGrace] is refused with [ErrKeyGrace]. At most
// [MaxRetiredGenerations] rotated-out generations stay published. It
// returns the new key ids by algorithm.
func (p *Provider) RotateKeys(grace time.Duration) (map[string]string, error) {
	if grace <= 0 {
		grace = DefaultKeyGrace
	}
	if grace > MaxKeyGrace {
		return nil, ErrKeyGrace
	}
	kids, err := p.keys.rotate(p.clock.Now(), grace)
	if err != nil {
		return nil, err
	}
	if err := p.saveState(); err != nil {
		return nil, err
	}
	p.log.Info("signing keys rotated", "kids", kids, "grace", grace.String())
	return kids, nil
}

// postRotateKeys is POST /_mock/keys/rotate: {"grace": "1h"} (optional, a
// Go duration; default [DefaultKeyGrace]) rotates the signing keys and
// answers the new key ids and the JWKS.
func (p *Provider) postRotateKeys(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Grace string `json:"grace"`
	}
	if e := decodeJSON(w, r, &body); e != nil {
		writeJSONError(w, e)
		return
	}
	var grace time.Duration
	if body.Grace != "" {
		d, err := time.ParseDuration(body.Grace)
		if err != nil || d <= 0 {
			writeJSONError(w, ErrInvalidRequest.WithDescription(`give {"grace": "<duration>"}, e.g. "1h", a positive Go duration, or no body`))
			return
		}
		if d > MaxKeyGrace {
			writeJSONError(w, ErrInvalidRequest.WithDescription("grace %v is longer than the %v the provider keeps a rotated-out key", d, MaxKeyGrace))
			return
		}
		grace = d
	}
	kids, err := p.RotateKeys(grace)
	if err != nil {
		p.log.Error("key rotation", "err", err)
		writeJSONError(w, ErrServerError.WithDescription("the keys could not be rotated"))
		return
	}
	set, err := p.JWKS()
	if err != nil {
		writeJSONError(w, ErrServerError.WithDescription("the signing keys are unavailable"))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Kids map[string]string  `json:"kids"`
		JWKS jose.JSONWebKeySet `json:"jwks"`
	}{kids, set})
}
