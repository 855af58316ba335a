package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenOutputMakesTheFolder: make provider-matrix writes to
// reports/provider-matrix.md in a fresh checkout, where reports/ does not
// exist yet.
func TestOpenOutputMakesTheFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reports", "provider-matrix.md")
	w, closeOut, err := openOutput(path, nil)
	require.NoError(t, err)
	_, err = w.Write([]byte("| Scenario |\n"))
	require.NoError(t, err)
	closeOut()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "| Scenario |\n", string(got))

	var stdout bytes.Buffer
	w, closeOut, err = openOutput("", &stdout)
	require.NoError(t, err)
	defer closeOut()
	assert.Same(t, &stdout, w, "no path: stdout")

	blocker := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	_, _, err = openOutput(filepath.Join(blocker, "matrix.md"), nil)
	assert.Error(t, err, "a path under a file is refused before any run")
}
