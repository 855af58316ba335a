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
