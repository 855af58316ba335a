package dockerd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCopyIntoContext(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "bin")
	require.NoError(t, os.WriteFile(src, []byte("#!/bin/true\n"), 0o755))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(src, link))

	dst := filepath.Join(dir, "ctx", "usr", "bin", "tool")
	require.NoError(t, CopyIntoContext(link, dst))
	fi, err := os.Lstat(dst)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular(), "a link is followed: the context gets the file")
	assert.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
	got, err := os.ReadFile(dst)
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/true\n", string(got))

	assert.Error(t, CopyIntoContext(filepath.Join(dir, "missing"), dst))
}
