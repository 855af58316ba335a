package mockprovider

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"slices"
)

// storedKey is a signing key in the state document: its algorithm and
// its private key as PKCS #8 PEM.
type storedKey struct {
	Alg string `json:"alg"`
	Key string `json:"private_key"`
}

// keepsKeys reports whether the state keeps the signing keys: only random
// ones need it (seeded keys come back from the seed, a static key from its
// file), and only with a state directory.
func (p *Provider) keepsKeys() bool { return p.stateStore != nil && p.keys.random }

// stored returns the current keys for the state document.
func (ks *keySet) stored() ([]storedKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	var out []storedKey
	for _, alg := range SigningAlgs() {
		k, ok := ks.current[alg]
		if !ok {
			continue
		}
		der, err := x509.MarshalPKCS8PrivateKey(k.signer)
		if err != nil {
			return nil, fmt.Errorf("mockprovider: signing key %s: %w", k.kid, err)
		}
		out = append(out, storedKey{Alg: alg, Key: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	}
	return out, nil
}

// restore makes the stored keys current again.
func (ks *keySet) restore(keys []storedKey) error {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for i, sk := range keys {
		if !slices.Contains(SigningAlgs(), sk.Alg) {
			return fmt.Errorf("signing_keys[%d]: unknown algorithm %q", i, sk.Alg)
		}
		signer, err := ParseSigningKey([]byte(sk.Key))
		if err != nil {
			return fmt.Errorf("signing_keys[%d]: %v", i, err)
		}
		k, err := newSigningKey(sk.Alg, signer)
		if err != nil {
			return fmt.Errorf("signing_keys[%d]: %v", i, err)
		}
		ks.current[sk.Alg] = k
	}
	return nil
}

// ensureKeys creates every current key now, when the state keeps them, so
// that the state file holds the keys that sign.
func (p *Provider) ensureKeys() error {
	if !p.keepsKeys() {
		return nil
	}
	for _, alg := range SigningAlgs() {
		if _, err := p.keys.key(alg); err != nil {
			return err
		}
	}
	return nil
}
