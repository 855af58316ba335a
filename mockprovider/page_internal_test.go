package mockprovider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPagesParsedOnce checks that providers share the templates parsed
// once per process.
func TestPagesParsedOnce(t *testing.T) {
	t.Parallel()
	a, err := New()
	require.NoError(t, err)
	b, err := New()
	require.NoError(t, err)
	assert.Same(t, a.pages, b.pages)
}
