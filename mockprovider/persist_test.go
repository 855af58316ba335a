package mockprovider_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestStateSurvivesARestart: with a state directory, a registered client
// (whose secret was shown only once) works after a restart, and the
// restarted provider hands out none of the values of the first one.
func TestStateSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := mockprovider.New(mockprovider.WithStateDir(dir))
	require.NoError(t, err)
	reg, err := first.Register(mockprovider.Client{Name: "Kept", RedirectURIs: []string{"http://localhost:9200/cb"}})
	require.NoError(t, err)
	info, err := os.Stat(filepath.Join(dir, "state.json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	second, err := mockprovider.New(mockprovider.WithStateDir(dir))
	require.NoError(t, err)
	clients := second.Clients()
	require.Len(t, clients, len(mockprovider.DefaultClients())+1)
	assert.Equal(t, reg, clients[len(clients)-1], "the client, secret included")
	again, err := second.Register(mockprovider.Client{Name: "Next", RedirectURIs: []string{"http://localhost:9200/cb"}})
	require.NoError(t, err)
	assert.NotEqual(t, reg.ID, again.ID, "same seed, but the restart continues the id stream elsewhere")
	assert.NotEqual(t, reg.Secret, again.Secret)

	second.Reset()
	third, err := mockprovider.New(mockprovider.WithStateDir(dir))
	require.NoError(t, err)
	assert.Len(t, third.Clients(), len(mockprovider.DefaultClients()), "a reset forgets the registrations in the state too")
}

func TestWithoutStateNothingIsWritten(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p, err := mockprovider.New()
	require.NoError(t, err)
	_, err = p.Register(mockprovider.Client{Name: "Gone", RedirectURIs: []string{"http://localhost:9200/cb"}})
	require.NoError(t, err)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestCorruptStateStopsTheStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"version": 1, "clients": [`), 0o600))
	_, err := mockprovider.New(mockprovider.WithStateDir(dir))
	var se *mockprovider.StateError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, path, se.File)
	assert.Contains(t, err.Error(), "not a state document")
}

// TestStateClientClashingWithAFixture: a client the state keeps that a
// fixture file now also defines stops the start, naming both.
func TestStateClientClashingWithAFixture(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p, err := mockprovider.New(mockprovider.WithStateDir(dir))
	require.NoError(t, err)
	reg, err := p.Register(mockprovider.Client{Name: "Kept", RedirectURIs: []string{"http://localhost:9200/cb"}})
	require.NoError(t, err)
	_, err = mockprovider.New(mockprovider.WithStateDir(dir), mockprovider.WithClient(reg))
	assert.ErrorContains(t, err, reg.ID)
}

// TestRandomSigningKeysSurviveARestart: with random keys (what a mock
// reachable by strangers uses) and a state directory, the JWKS after a
// restart is the one relying parties cached; a rotation is kept too.
func TestRandomSigningKeysSurviveARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kids := func(p *mockprovider.Provider) []string {
		t.Helper()
		set, err := p.JWKS()
		require.NoError(t, err)
		var out []string
		for _, k := range set.Keys {
			out = append(out, k.KeyID)
		}
		return out
	}
	first, err := mockprovider.New(mockprovider.WithStateDir(dir), mockprovider.WithRandomKeys())
	require.NoError(t, err)
	before := kids(first)
	require.Len(t, before, len(mockprovider.SigningAlgs()))

	second, err := mockprovider.New(mockprovider.WithStateDir(dir), mockprovider.WithRandomKeys())
	require.NoError(t, err)
	assert.Equal(t, before, kids(second), "the same keys after a restart")
	rotated, err := second.RotateKeys(0)
	require.NoError(t, err)

	third, err := mockprovider.New(mockprovider.WithStateDir(dir), mockprovider.WithRandomKeys())
	require.NoError(t, err)
	assert.Equal(t, rotated[mockprovider.AlgRS256], kids(third)[0], "the rotated keys after a restart")

	other, err := mockprovider.New(mockprovider.WithRandomKeys())
	require.NoError(t, err)
	assert.NotEqual(t, before, kids(other), "without the state, new random keys")
}
