package mockprovider

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func kidsOf(t *testing.T, ks *keySet) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, alg := range SigningAlgs() {
		k, err := ks.key(alg)
		require.NoError(t, err)
		out[alg] = k.kid
	}
	return out
}

func TestSeededKeysAreDeterministic(t *testing.T) {
	t.Parallel()
	a, err := newKeySet(7, nil)
	require.NoError(t, err)
	b, err := newKeySet(7, nil)
	require.NoError(t, err)
	c, err := newKeySet(8, nil)
	require.NoError(t, err)
	ka, kb, kc := kidsOf(t, a), kidsOf(t, b), kidsOf(t, c)
	assert.Equal(t, ka, kb, "the same seed gives the same keys")
	for _, alg := range SigningAlgs() {
		assert.NotEqual(t, ka[alg], kc[alg], "%s: another seed gives another key", alg)
	}
	assert.Len(t, map[string]bool{ka[AlgRS256]: true, ka[AlgPS256]: true, ka[AlgES256]: true, ka[AlgEdDSA]: true}, 4,
		"every algorithm has its own key")
}

func TestRotationKeepsTheOldKeysForTheGracePeriod(t *testing.T) {
	t.Parallel()
	ks, err := newKeySet(DefaultSeed, nil)
	require.NoError(t, err)
	before := kidsOf(t, ks)
	now := DefaultEpoch
	after, err := ks.rotate(now, time.Hour)
	require.NoError(t, err)
	for _, alg := range SigningAlgs() {
		assert.NotEqual(t, before[alg], after[alg], "%s key rotated", alg)
	}
	published := func(at time.Time) map[string]bool {
		keys, err := ks.published(at)
		require.NoError(t, err)
		out := map[string]bool{}
		for _, k := range keys {
			out[k.kid] = true
		}
		return out
	}
	during := published(now.Add(59 * time.Minute))
	for _, alg := range SigningAlgs() {
		assert.True(t, during[before[alg]], "%s: the old key is published during the grace period", alg)
		assert.True(t, during[after[alg]], "%s: the new key is published", alg)
	}
	later := published(now.Add(time.Hour))
	for _, alg := range SigningAlgs() {
		assert.False(t, later[before[alg]], "%s: the old key is gone after the grace period", alg)
	}
	ks.reset()
	assert.Equal(t, before, kidsOf(t, ks), "reset goes back to the first keys")
}

// TestRotationKeepsBoundedGenerations: however many rotations with a long
// grace, only the last MaxRetiredGenerations generations stay, oldest
// dropped first.
func TestRotationKeepsBoundedGenerations(t *testing.T) {
	t.Parallel()
	ks, err := newKeySet(DefaultSeed, nil)
	require.NoError(t, err)
	var gens []map[string]string
	for range MaxRetiredGenerations + 5 {
		kids, err := ks.rotate(DefaultEpoch, MaxKeyGrace)
		require.NoError(t, err)
		gens = append(gens, kids)
	}
	assert.Len(t, ks.retired, MaxRetiredGenerations*len(SigningAlgs()))
	keys, err := ks.published(DefaultEpoch)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(keys), (MaxRetiredGenerations+1)*len(SigningAlgs()))
	kids := map[string]bool{}
	for _, k := range keys {
		kids[k.kid] = true
	}
	// EC and Ed25519 keys differ every generation (RSA ones come from a
	// pool of four and repeat): the newest retired are kept, the oldest gone.
	for _, alg := range []string{"ES256", "EdDSA"} {
		assert.True(t, kids[gens[len(gens)-2][alg]], "%s: the last retired generation is published", alg)
		assert.False(t, kids[gens[0][alg]], "%s: an old generation beyond the limit is dropped", alg)
	}
}

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParseSigningKey(t *testing.T) {
	t.Parallel()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalECPrivateKey(ec)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p384DER, err := x509.MarshalECPrivateKey(p384)
	require.NoError(t, err)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edDER, err := x509.MarshalPKCS8PrivateKey(ed)
	require.NoError(t, err)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	rsaPEM, err := rsaPoolFS.ReadFile("testdata/keys/rsa-0.pem")
	require.NoError(t, err)
	tests := []struct {
		name    string
		pem     []byte
		wantAlg string
		wantErr string
	}{
		{"RSA PKCS #8", rsaPEM, AlgRS256, ""},
		{"RSA PKCS #1", pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(mustRSA(t, rsaPEM))), AlgRS256, ""},
		{"EC SEC 1", pemOf(t, "EC PRIVATE KEY", ecDER), AlgES256, ""},
		{"Ed25519 PKCS #8", pemOf(t, "PRIVATE KEY", edDER), AlgEdDSA, ""},
		{"RSA 1024", pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)), "", "at least 2048"},
		{"P-384", pemOf(t, "EC PRIVATE KEY", p384DER), "", "needs P-256"},
		{"a certificate", pemOf(t, "CERTIFICATE", []byte{1, 2}), "", "not a private key"},
		{"no PEM", []byte("hello"), "", "no PEM block"},
		{"garbage DER", pemOf(t, "PRIVATE KEY", []byte{1, 2, 3}), "", "signing key:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseSigningKey(tt.pem)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantAlg, staticAlg(k))
		})
	}
}

func mustRSA(t *testing.T, data []byte) *rsa.PrivateKey {
	t.Helper()
	k, err := ParseSigningKey(data)
	require.NoError(t, err)
	return k.(*rsa.PrivateKey)
}

func TestStaticKeyReplacesTheSeededKeyOfItsAlgorithm(t *testing.T) {
	t.Parallel()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	seeded, err := newKeySet(DefaultSeed, nil)
	require.NoError(t, err)
	static, err := newKeySet(DefaultSeed, ec)
	require.NoError(t, err)
	a, b := kidsOf(t, seeded), kidsOf(t, static)
	assert.NotEqual(t, a[AlgES256], b[AlgES256])
	assert.Equal(t, a[AlgRS256], b[AlgRS256])
	k, err := static.key(AlgES256)
	require.NoError(t, err)
	assert.Same(t, ec, k.signer)
	_, err = newKeySet(DefaultSeed, mustSmallRSA(t))
	assert.ErrorContains(t, err, "at least 2048")
}

func mustSmallRSA(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	return k
}

// BenchmarkReady measures what creating a provider and its first RS256
// key costs: the mock's time to ready must stay under 20 ms.
func BenchmarkReady(b *testing.B) {
	for b.Loop() {
		p, err := New()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.keys.key(AlgRS256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKeyCreation measures the creation of every algorithm's key.
func BenchmarkKeyCreation(b *testing.B) {
	for _, alg := range SigningAlgs() {
		b.Run(alg, func(b *testing.B) {
			for b.Loop() {
				if _, err := seededSigner(alg, DefaultSeed, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRandomKeysAreNotThePublicOnes(t *testing.T) {
	t.Parallel()
	pool := map[string]bool{}
	for i := range rsaPoolSize {
		k, err := poolRSAKey(i)
		require.NoError(t, err)
		sk, err := newSigningKey(AlgRS256, k)
		require.NoError(t, err)
		pool[sk.kid] = true
	}
	a, err := New(WithRandomKeys())
	require.NoError(t, err)
	b, err := New(WithRandomKeys())
	require.NoError(t, err)
	ka, kb := kidsOf(t, a.keys), kidsOf(t, b.keys)
	for _, alg := range SigningAlgs() {
		assert.NotEqual(t, ka[alg], kb[alg], "%s: fresh keys differ even for one seed", alg)
	}
	assert.False(t, pool[ka[AlgRS256]] || pool[ka[AlgPS256]], "not one of the public test keys")

	f := DefaultFlags()
	f.Seed = "random"
	opts, err := f.Options()
	require.NoError(t, err)
	p, err := New(opts...)
	require.NoError(t, err)
	assert.True(t, p.keys.random, "--seed random asks for random keys")
}
