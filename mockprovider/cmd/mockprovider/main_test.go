package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func TestRunRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"bad clock", []string{"--clock", "fast"}, "--clock must be virtual or real"},
		{"bad seed", []string{"--seed", "-1"}, "--seed must be"},
		{"unknown quirk", []string{"--quirks", "code-reusable,nope"}, "known quirks"},
		{"unknown policy", []string{"--redirect-policy", "fuzzy"}, "unknown redirect policy"},
		{"unknown PKCE policy", []string{"--pkce", "always"}, "unknown PKCE policy"},
		{"relative issuer", []string{"--issuer", "/x"}, "issuer"},
		{"missing clients file", []string{"--clients", "testdata/none.yaml"}, "none.yaml"},
		{"bad clients file", []string{"--clients", "../../testdata/bad/clients-missing-secret.yaml"}, "clients-missing-secret.yaml:3: "},
		{"bad users file", []string{"--users", "../../testdata/bad/users-duplicate.yaml"}, "users-duplicate.yaml:3: "},
		{"bad listen address", []string{"--listen", "127.0.0.1:99999"}, "mockprovider:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := run(tt.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	var fe *mockprovider.FixtureError
	assert.True(t, errors.As(run([]string{"--clients", "../../testdata/bad/clients-tab.yaml"}), &fe))
}

func TestParseSeed(t *testing.T) {
	t.Parallel()
	n, err := parseSeed("42")
	require.NoError(t, err)
	assert.Equal(t, uint64(42), n)
	_, err = parseSeed("random")
	assert.NoError(t, err)
	_, err = parseSeed("0x10")
	assert.Error(t, err)
}
