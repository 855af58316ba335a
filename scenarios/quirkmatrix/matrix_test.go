package quirkmatrix_test

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
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/quirkmatrix"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const quirkGolden = "../../testdata/quirk-matrix.golden"

// TestEveryQuirkIsCaught runs the whole catalog against the mock once per
// quirk: the scenarios named for the quirk in Catchers must fail (or
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
		assert.NotEmpty(t, quirkmatrix.Catchers(q.Name), "quirk %s names no scenario that catches it", q.Name)
	}
	m, err := quirkmatrix.Run(t.Context(), browsertest.Browser(t), quirks, nil, 2, nil)
	require.NoError(t, err)
	for _, p := range m.Problems() {
		t.Error(p)
	}
	var got bytes.Buffer
	require.NoError(t, m.WriteTable(&got))
	if *update {
		require.NoError(t, os.WriteFile(quirkGolden, got.Bytes(), 0o644))
	}
	want, err := os.ReadFile(quirkGolden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got.String(), "the quirk matrix changed; if that is intended: go test ./scenarios/quirkmatrix -run TestEveryQuirkIsCaught -update")
}

// TestCatchersNameRealScenarios keeps the catchers in step with the
// catalog and the mock's quirk list.
func TestCatchersNameRealScenarios(t *testing.T) {
	quirks := quirkmatrix.CaughtQuirks()
	require.Len(t, quirks, len(mockprovider.Quirks()), "every quirk of the mock names its catchers")
	for _, q := range quirks {
		ids := quirkmatrix.Catchers(q)
		require.NotEmpty(t, ids, q)
		for _, id := range ids {
			_, ok := scenarios.Lookup(id)
			assert.True(t, ok, "%s: no scenario %s", q, id)
		}
	}
}

func TestCatchersReturnsACopy(t *testing.T) {
	q := mockprovider.QuirkCodeReusable
	ids := quirkmatrix.Catchers(q)
	require.NotEmpty(t, ids)
	ids[0] = "changed/by-the-caller"
	assert.NotEqual(t, "changed/by-the-caller", quirkmatrix.Catchers(q)[0])
	assert.Nil(t, quirkmatrix.Catchers("no-such-quirk"))
}
