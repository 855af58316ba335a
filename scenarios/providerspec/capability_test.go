package providerspec

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLacksSaysWhy: the reasons a scenario is skipped with.
func TestLacksSaysWhy(t *testing.T) {
	spec := &Spec{Clients: map[string]*Client{"primary": {ID: "a"}}}
	spec.ApplyDefaults()
	spec.Capabilities = []Capability{Refresh}
	for c, want := range map[Capability]string{
		PKCE:           `the target does not declare capability "pkce"`,
		Refresh:        "",
		ScopedResource: "the target names no scope-protected resource (resource)",
		Consent:        "",
		Browser:        "",
	} {
		assert.Equal(t, want, spec.Lacks(c), c)
	}
	spec.Login.Consent, spec.Login.Deny = "", ""
	assert.Equal(t, "the target shows no consent page (login.consent)", spec.Lacks(Consent))
}
