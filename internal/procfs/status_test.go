package procfs_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
)

func TestRSS(t *testing.T) {
	rss, err := procfs.RSS(os.Getpid())
	require.NoError(t, err)
	assert.Greater(t, rss, int64(1<<20), "a Go test binary holds more than a megabyte")
	_, err = procfs.RSS(-1)
	assert.Error(t, err)
}
