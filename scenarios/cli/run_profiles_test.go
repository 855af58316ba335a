package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/cli"
)

// TestRedirectAreaAgainstProfiles runs the redirect area against the mock
// switched into a provider profile: exactly the checks that provider's
// documented rules break must fail, every other one must pass (or skip
// with a reason). The sets are the README's per-profile table.
func TestRedirectAreaAgainstProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the browser suite twice")
	}
	tests := []struct {
		profile string
		failing []string
	}{
		// GitHub: the path may be a sub-directory (so a suffix and a
		// trailing slash are accepted), and an omitted redirect_uri goes to
		// the first callback URL even when the client has several.
		{"github", []string{"redirect/omitted-multiple", "redirect/path-suffix", "redirect/trailing-slash"}},
		// Entra ignores the port of a localhost redirect URI.
		{"entra", []string{"redirect/port-mismatch"}},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "report.json")
			code, out, errOut := run(t, "run", "--target", "mock", "--mock-redirect-policy", tt.profile,
				"--only", "redirect/*", "--json", report, "--no-screenshots")
			require.Equal(t, cli.ExitMustFailed, code, out+errOut)
			assert.Equal(t, tt.failing, failingIDs(t, report), out)
		})
	}
}

// failingIDs reads a JSON report and lists the IDs that failed or warned.
func failingIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var r struct {
		Results []struct {
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal(data, &r))
	require.NotEmpty(t, r.Results)
	var out []string
	for _, res := range r.Results {
		if res.Verdict == "fail" || res.Verdict == "warn" {
			out = append(out, res.ID)
		}
	}
	sort.Strings(out)
	return out
}
