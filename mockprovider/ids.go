package mockprovider

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Lengths of the generated values, those of the seed's provider.
const (
	tokenLength        = 30
	codeLength         = 30
	clientIDLength     = 40
	clientSecretLength = 50
	sessionIDLength    = 32
)

// idSource hands out the provider's codes, tokens, ids and secrets from a
// seeded ChaCha8 stream, so that a given seed always gives the same values
// in the same order.
type idSource struct {
	mu   sync.Mutex
	seed uint64
	rng  *rand.Rand
}

func newIDSource(seed uint64) *idSource {
	s := &idSource{seed: seed}
	s.reset()
	return s
}

func (s *idSource) reset() {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.seed)
	key := sha256.Sum256(append([]byte("mockprovider ids v1 "), b[:]...))
	s.mu.Lock()
	s.rng = rand.New(rand.NewChaCha8(key))
	s.mu.Unlock()
}

// String returns n characters from [A-Za-z0-9].
func (s *idSource) String(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphanumeric[s.rng.IntN(len(alphanumeric))]
	}
	return string(b)
}
