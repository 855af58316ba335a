package runmode

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, "docker": Docker, "process": Process} {
		t.Run(in, func(t *testing.T) {
			got, err := Parse(in)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
	for _, in := range []string{"podman", "Docker", " auto"} {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in)
			assert.ErrorContains(t, err, `is not auto, docker or process`)
		})
	}
}
