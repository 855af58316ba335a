package scenarios_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const quirkGolden = "../testdata/quirk-matrix.golden"

// TestEveryQuirkIsCaught runs the whole catalog against the mock once per
// quirk: the scenarios named for the quirk in QuirkCatchers must fail (or
// warn, for a SHOULD rule), and every other scenario must pass. The
// resulting matrix is the golden file testdata/quirk-matrix.golden.
func TestEveryQuirkIsCaught(t *testing.T) {
	if os.Getenv("DSRA_QUIRK_MATRIX") == "" {
		// 29 runs of the catalog take 8 to 12 minutes on 2 cores: more than
		// make test's budget. make quirk-matrix runs this test.
		t.Skip("the quirk matrix runs with make quirk-matrix (DSRA_QUIRK_MATRIX=1)")
	}
	var quirks []mockprovider.Quirk
	for _, q := range mockprovider.Quirks() {
		quirks = append(quirks, q.Name)
		assert.NotEmpty(t, scenarios.QuirkCatchers[q.Name], "quirk %s names no scenario that catches it", q.Name)
	}
	m, err := scenarios.RunQuirkMatrix(t.Context(), browsertest.Browser(t), quirks, nil, 2, nil)
	require.NoError(t, err)
	for _, p := range m.Problems() {
		t.Error(p)
	}
	var got bytes.Buffer
	require.NoError(t, m.WriteQuirkTable(&got))
	if *update {
		require.NoError(t, os.WriteFile(quirkGolden, got.Bytes(), 0o644))
	}
	want, err := os.ReadFile(quirkGolden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got.String(), "the quirk matrix changed; if that is intended: go test ./scenarios -run TestEveryQuirkIsCaught -update")
}

// TestQuirkCatchersNameRealScenarios keeps QuirkCatchers in step with the
// catalog and the mock's quirk list.
func TestQuirkCatchersNameRealScenarios(t *testing.T) {
	known := map[mockprovider.Quirk]bool{}
	for _, q := range mockprovider.Quirks() {
		known[q.Name] = true
	}
	for q, ids := range scenarios.QuirkCatchers {
		assert.True(t, known[q], "QuirkCatchers names unknown quirk %s", q)
		for _, id := range ids {
			_, ok := scenarios.Lookup(id)
			assert.True(t, ok, "%s: no scenario %s", q, id)
		}
	}
}
