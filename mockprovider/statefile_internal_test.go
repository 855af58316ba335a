package mockprovider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStateStoreRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s, doc, err := openStateStore(dir)
	require.NoError(t, err)
	assert.Equal(t, &stateDocument{Version: stateVersion}, doc, "a new directory is an empty document")

	c := DefaultClients()[0]
	doc.Generation = 3
	doc.Clients = []storedClient{{Client: c, Secret: c.Secret}}
	require.NoError(t, s.write(doc))
	info, err := os.Stat(filepath.Join(dir, stateFileName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file holds secrets")

	_, again, err := openStateStore(dir)
	require.NoError(t, err)
	assert.Equal(t, doc, again)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
}

func TestStateStoreRefusesABadFile(t *testing.T) {
	for _, tc := range []struct{ name, content, reason string }{
		{"truncated", `{"version": 1, "clients": [`, "not a state document"},
		{"not JSON", "hello", "not a state document"},
		{"unknown field", `{"version": 1, "tokens": []}`, `unknown field "tokens"`},
		{"newer version", `{"version": 99}`, "version 99 is newer"},
		{"no version", `{"clients": []}`, "version is missing"},
		{"two documents", `{"version": 1} {"version": 1}`, "trailing data"},
		{"bad client", `{"version": 1, "clients": [{"client_id": "x", "redirect_uris": ["ftp://x"], "client_secret": "s"}]}`, "clients[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, stateFileName)
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			_, _, err := openStateStore(dir)
			var se *StateError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, path, se.File)
			assert.Contains(t, se.Reason, tc.reason)
			assert.Contains(t, err.Error(), path, "the error names the file")
		})
	}
}

func TestStateStoreUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		// root reads a mode-0 file anyway; a directory in its place is
		// unreadable as a file for everyone.
		dir := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(dir, stateFileName), 0o700))
		_, _, err := openStateStore(dir)
		assert.ErrorContains(t, err, stateFileName)
		return
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, stateFileName), []byte(`{"version":1}`), 0))
	_, _, err := openStateStore(dir)
	assert.ErrorContains(t, err, "permission denied")
}

func TestWriteFileAtomicKeepsTheOldFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	require.NoError(t, writeFileAtomic(path, []byte("old")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	// Renaming a file over a directory fails: the directory stays, and no
	// temporary file is left.
	assert.Error(t, writeFileAtomic(filepath.Join(dir, "sub"), []byte("new")))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2)
}
