package mockprovider

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIDSourceGenerations(t *testing.T) {
	a, b := newIDSource(7, 0), newIDSource(7, 0)
	first := a.String(tokenLength)
	assert.Equal(t, first, b.String(tokenLength), "same seed, same values")

	seen := map[string]bool{first: true}
	for range 100 {
		seen[a.String(tokenLength)] = true
	}
	assert.Equal(t, uint64(1), a.reset())
	for range 100 {
		v := a.String(tokenLength)
		assert.False(t, seen[v], "a reset re-issued %s", v)
	}
	assert.Equal(t, uint64(1), a.Generation())

	// A restart that knows the generation continues after it.
	again := newIDSource(7, 1)
	b.reset()
	assert.Equal(t, b.String(tokenLength), again.String(tokenLength), "generation 1 of seed 7 is one stream")
	assert.NotEqual(t, newIDSource(7, 2).String(tokenLength), newIDSource(7, 1).String(tokenLength))
	assert.NotEqual(t, newIDSource(8, 0).String(tokenLength), first)
}
