package mockprovider_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func TestFlags(t *testing.T) {
	t.Parallel()
	f := mockprovider.DefaultFlags()
	fs := flag.NewFlagSet("mockprovider", flag.ContinueOnError)
	f.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"--seed", "42", "--clock", "real", "--quirks", "code-reusable", "--pkce", "s256",
		"--users", "../testdata/users.yaml", "--issuer", "http://127.0.0.1:9000", "--remote-control"}))
	assert.Equal(t, "127.0.0.1:9000", f.Listen)
	opts, err := f.Options()
	require.NoError(t, err)
	p, err := mockprovider.New(opts...)
	require.NoError(t, err)
	assert.Equal(t, uint64(42), p.Seed())
	assert.Equal(t, []mockprovider.Quirk{mockprovider.QuirkCodeReusable}, p.ActiveQuirks())
	assert.ErrorContains(t, p.Advance(1), "real clock")
	assert.Equal(t, mockprovider.DefaultUsers(), p.Users())
}

func TestParseSeed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want uint64
		err  bool
	}{
		{"42", 42, false},
		{"0", 0, false},
		{"0x10", 0, true},
		{"-1", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			n, err := mockprovider.ParseSeed(tt.in)
			if tt.err {
				assert.ErrorContains(t, err, "--seed must be")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, n)
		})
	}
	_, err := mockprovider.ParseSeed("random")
	assert.NoError(t, err)
}

// TestSeedDependsOnReach: seed 1 where only this machine can reach the
// provider, a random one (printed at start) where strangers can, and a
// warning for a fixed seed there (issue 9).
func TestSeedDependsOnReach(t *testing.T) {
	t.Parallel()
	seedOf := func(f mockprovider.Flags) uint64 {
		t.Helper()
		opts, err := f.Options()
		require.NoError(t, err)
		p, err := mockprovider.New(opts...)
		require.NoError(t, err)
		return p.Seed()
	}
	f := mockprovider.DefaultFlags()
	assert.Equal(t, mockprovider.DefaultSeed, seedOf(f), "loopback")
	assert.Empty(t, f.Warnings())

	f.Listen = "0.0.0.0:9000"
	a, b := seedOf(f), seedOf(f)
	assert.NotEqual(t, a, b, "random on every interface")
	assert.Empty(t, f.Warnings())

	f.Seed = "7"
	assert.Equal(t, uint64(7), seedOf(f), "an explicit seed is kept")
	require.Len(t, f.Warnings(), 1)
	assert.Contains(t, f.Warnings()[0], "compute other users' cookies")

	for addr, loopback := range map[string]bool{
		"127.0.0.1:9000": true, "localhost:9000": true, "[::1]:9000": true,
		":9000": false, "0.0.0.0:9000": false, "192.0.2.1:9000": false, "mock:9000": false, "bad": false,
	} {
		assert.Equal(t, loopback, mockprovider.ListensOnLoopback(addr), addr)
	}
}

func TestSigningKeyFlag(t *testing.T) {
	t.Parallel()
	f := mockprovider.DefaultFlags()
	fs := flag.NewFlagSet("mockprovider", flag.ContinueOnError)
	f.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"--signing-key", "testdata/keys/rsa-3.pem"}))
	opts, err := f.Options()
	require.NoError(t, err)
	withKey, err := mockprovider.New(opts...)
	require.NoError(t, err)
	seeded, err := mockprovider.New()
	require.NoError(t, err)
	kid := func(p *mockprovider.Provider) string {
		set, err := p.JWKS()
		require.NoError(t, err)
		for _, k := range set.Keys {
			if k.Algorithm == mockprovider.AlgRS256 {
				return k.KeyID
			}
		}
		t.Fatal("no RS256 key in the JWKS")
		return ""
	}
	assert.NotEqual(t, kid(seeded), kid(withKey), "the key file replaces the seeded RS256 key")
}
