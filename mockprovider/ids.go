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
//
// Each reset starts a new generation: a stream keyed by the seed and the
// generation number, so that a value handed out before a reset (a session
// cookie, a token someone kept) is never handed out again to whoever comes
// next. Generation 0 is the stream of earlier versions.
type idSource struct {
	mu         sync.Mutex
	seed       uint64
	generation uint64
	rng        *rand.Rand
}

func newIDSource(seed, generation uint64) *idSource {
	s := &idSource{seed: seed, generation: generation}
	s.rng = rand.New(rand.NewChaCha8(streamKey(seed, generation)))
	return s
}

// streamKey derives the ChaCha8 key of a seed's generation.
func streamKey(seed, generation uint64) [32]byte {
	b := binary.BigEndian.AppendUint64([]byte("mockprovider ids v1 "), seed)
	if generation > 0 {
		b = binary.BigEndian.AppendUint64(append(b, " generation "...), generation)
	}
	return sha256.Sum256(b)
}

// reset starts the next generation and returns its number.
func (s *idSource) reset() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generation++
	s.rng = rand.New(rand.NewChaCha8(streamKey(s.seed, s.generation)))
	return s.generation
}

// Generation returns the number of the stream in use.
func (s *idSource) Generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.generation
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
