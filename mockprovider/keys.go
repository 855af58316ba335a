package mockprovider

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The id_token signing algorithms the provider offers (OIDC Core §3.1.3.7,
// RFC 7518 §3.1, RFC 8037 §3.1). RS256 is the default (OIDC Core §15.1).
const (
	AlgRS256 = string(jose.RS256)
	AlgPS256 = string(jose.PS256)
	AlgES256 = string(jose.ES256)
	AlgEdDSA = string(jose.EdDSA)
)

// SigningAlgs lists the algorithms of [AlgRS256], [AlgPS256], [AlgES256]
// and [AlgEdDSA], as id_token_signing_alg_values_supported names them.
func SigningAlgs() []string { return []string{AlgRS256, AlgPS256, AlgES256, AlgEdDSA} }

// DefaultKeyGrace is how long a rotated-out key stays in the JWKS, on the
// provider's clock, so that tokens signed just before a rotation still
// verify (OIDC Core §10.1.1).
const DefaultKeyGrace = 24 * time.Hour

// MaxKeyGrace bounds the grace period of a rotation: a longer one is
// refused, so rotated-out keys cannot pile up in the JWKS for centuries.
const MaxKeyGrace = 30 * 24 * time.Hour

// MaxRetiredGenerations is how many rotated-out generations of keys the
// JWKS keeps within their grace period; a rotation beyond that drops the
// oldest generation.
const MaxRetiredGenerations = 8

// ErrKeyGrace is returned by [Provider.RotateKeys] for a grace period
// longer than [MaxKeyGrace].
var ErrKeyGrace = fmt.Errorf("mockprovider: the key grace period is longer than %v", MaxKeyGrace)

// The fixed RSA keys. RSA key generation in Go 1.26 ignores a custom
// random source (crypto/rsa.GenerateKey; see testing/cryptotest) and takes
// far longer than the 20 ms the mock may spend getting ready, so the
// seeded RSA keys are picked from this pool of test keys. They are public:
// a token signed with them proves nothing outside a test (use
// --signing-key for a key of your own, or --seed random, [WithRandomKeys],
// for fresh ones).
//
//go:embed testdata/keys/rsa-*.pem
var rsaPoolFS embed.FS

const rsaPoolSize = 4

// signingKey is one key of the key set.
type signingKey struct {
	alg    string
	kid    string
	signer crypto.Signer
	// retireAt is when a rotated-out key leaves the JWKS; zero while current.
	retireAt time.Time
}

// keySet holds the provider's signing keys: one current key per algorithm,
// created on first use from the seed (or given as a static key), and the
// keys rotated out, kept until their grace period ends.
type keySet struct {
	mu   sync.Mutex
	seed uint64
	// random makes keys from crypto/rand instead of the seed.
	random     bool
	static     *signingKey
	generation int
	current    map[string]*signingKey
	retired    []*signingKey
}

func newKeySet(seed uint64, static crypto.Signer) (*keySet, error) {
	ks := &keySet{seed: seed, current: map[string]*signingKey{}}
	if static != nil {
		if _, err := checkSigner(static); err != nil {
			return nil, err
		}
		k, err := newSigningKey(staticAlg(static), static)
		if err != nil {
			return nil, err
		}
		ks.static = k
	}
	ks.reset()
	return ks, nil
}

// reset goes back to the first generation of keys (Provider.Reset).
func (ks *keySet) reset() {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.generation = 0
	ks.retired = nil
	ks.current = map[string]*signingKey{}
	if ks.static != nil {
		ks.current[ks.static.alg] = ks.static
	}
}

// key returns the current key for alg, creating it on first use.
func (ks *keySet) key(alg string) (*signingKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.keyLocked(alg)
}

func (ks *keySet) keyLocked(alg string) (*signingKey, error) {
	if k, ok := ks.current[alg]; ok {
		return k, nil
	}
	newSigner := seededSigner
	if ks.random {
		newSigner = randomSigner
	}
	signer, err := newSigner(alg, ks.seed, ks.generation)
	if err != nil {
		return nil, err
	}
	k, err := newSigningKey(alg, signer)
	if err != nil {
		return nil, err
	}
	ks.current[alg] = k
	return k, nil
}

// rotate retires the current keys (they stay published until now+grace,
// with at most [MaxRetiredGenerations] generations kept) and starts a new
// generation. It returns the new keys' ids by algorithm.
func (ks *keySet) rotate(now time.Time, grace time.Duration) (map[string]string, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for _, alg := range SigningAlgs() {
		if _, err := ks.keyLocked(alg); err != nil {
			return nil, err
		}
	}
	for _, alg := range SigningAlgs() {
		k := *ks.current[alg]
		k.retireAt = now.Add(grace)
		ks.retired = append(ks.retired, &k)
	}
	if keep := MaxRetiredGenerations * len(SigningAlgs()); len(ks.retired) > keep {
		ks.retired = slices.Delete(ks.retired, 0, len(ks.retired)-keep)
	}
	ks.generation++
	ks.current = map[string]*signingKey{}
	kids := map[string]string{}
	for _, alg := range SigningAlgs() {
		k, err := ks.keyLocked(alg)
		if err != nil {
			return nil, err
		}
		kids[alg] = k.kid
	}
	return kids, nil
}

// published lists the keys of the JWKS at now: the current ones, then the
// retired ones still in their grace period, each kid once.
func (ks *keySet) published(now time.Time) ([]*signingKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	var out []*signingKey
	seen := map[string]bool{}
	for _, alg := range SigningAlgs() {
		k, err := ks.keyLocked(alg)
		if err != nil {
			return nil, err
		}
		out, seen[k.kid] = append(out, k), true
	}
	ks.retired = slices.DeleteFunc(ks.retired, func(k *signingKey) bool { return !now.Before(k.retireAt) })
	for _, k := range ks.retired {
		if !seen[k.kid] {
			out, seen[k.kid] = append(out, k), true
		}
	}
	return out, nil
}

// newSigningKey names a key by its RFC 7638 thumbprint.
func newSigningKey(alg string, signer crypto.Signer) (*signingKey, error) {
	jwk := jose.JSONWebKey{Key: signer.Public()}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("mockprovider: key thumbprint: %w", err)
	}
	return &signingKey{alg: alg, kid: base64.RawURLEncoding.EncodeToString(sum), signer: signer}, nil
}

// seededSigner returns the key of an algorithm for a seed and generation:
// EC and Ed25519 keys are derived from a ChaCha8 stream keyed by them; RSA
// keys come from the pool of fixed keys.
func seededSigner(alg string, seed uint64, generation int) (crypto.Signer, error) {
	switch alg {
	case AlgRS256, AlgPS256:
		i := (seed%rsaPoolSize + uint64(2*generation)) % rsaPoolSize
		if alg == AlgPS256 {
			i = (i + 1) % rsaPoolSize
		}
		return poolRSAKey(int(i))
	case AlgES256:
		stream := keyStream(alg, seed, generation)
		for {
			d := make([]byte, 32)
			stream.Read(d)
			if k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d); err == nil {
				return k, nil
			}
		}
	case AlgEdDSA:
		d := make([]byte, ed25519.SeedSize)
		keyStream(alg, seed, generation).Read(d)
		return ed25519.NewKeyFromSeed(d), nil
	}
	return nil, fmt.Errorf("mockprovider: unsupported signing algorithm %q (supported: %v)", alg, SigningAlgs())
}

// randomSigner makes a fresh key from crypto/rand (an RSA key takes about
// 100 ms); the seed and generation are unused.
func randomSigner(alg string, _ uint64, _ int) (crypto.Signer, error) {
	switch alg {
	case AlgRS256, AlgPS256:
		return rsa.GenerateKey(cryptorand.Reader, 2048)
	case AlgES256:
		return ecdsa.GenerateKey(elliptic.P256(), cryptorand.Reader)
	case AlgEdDSA:
		_, k, err := ed25519.GenerateKey(cryptorand.Reader)
		return k, err
	}
	return nil, fmt.Errorf("mockprovider: unsupported signing algorithm %q (supported: %v)", alg, SigningAlgs())
}

func keyStream(alg string, seed uint64, generation int) *rand.ChaCha8 {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seed)
	binary.BigEndian.PutUint64(b[8:], uint64(generation))
	return rand.NewChaCha8(sha256.Sum256(append([]byte("mockprovider keys v1 "+alg+" "), b[:]...)))
}

func poolRSAKey(i int) (crypto.Signer, error) {
	data, err := rsaPoolFS.ReadFile(fmt.Sprintf("testdata/keys/rsa-%d.pem", i))
	if err != nil {
		return nil, fmt.Errorf("mockprovider: RSA key pool: %w", err)
	}
	return ParseSigningKey(data)
}

// ParseSigningKey parses a PEM private key for signing id_tokens: RSA
// (PKCS #1 or PKCS #8, at least 2048 bits), EC P-256 (SEC 1 or PKCS #8) or
// Ed25519 (PKCS #8).
func ParseSigningKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("mockprovider: signing key: no PEM block found")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("mockprovider: signing key: PEM block %q is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("mockprovider: signing key: %w", err)
	}
	return checkSigner(key)
}

// checkSigner accepts the keys the provider can sign with.
func checkSigner(key any) (crypto.Signer, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("mockprovider: signing key: RSA key of %d bits; RS256 needs at least 2048 (RFC 7518 §3.3)", k.N.BitLen())
		}
		return k, nil
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("mockprovider: signing key: EC curve %s; ES256 needs P-256", k.Curve.Params().Name)
		}
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("mockprovider: signing key: unsupported key type %T", key)
}

// LoadSigningKey reads a PEM private key file (see [ParseSigningKey]).
func LoadSigningKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mockprovider: signing key: %w", err)
	}
	k, err := ParseSigningKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return k, nil
}

// staticAlg is the algorithm a static key signs with.
func staticAlg(k crypto.Signer) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return AlgES256
	case ed25519.PrivateKey:
		return AlgEdDSA
	}
	return AlgRS256
}
