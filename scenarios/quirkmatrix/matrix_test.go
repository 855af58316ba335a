package quirkmatrix_test

import (
	"bytes"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/quirkmatrix"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const quirkGolden = "../../testdata/quirk-matrix.golden"

// TestEveryQuirkIsCaught checks the catalog against every quirk of the
// mock: the scenarios named for the quirk in Catchers must fail (or
// warn, for a SHOULD rule), and every other scenario must pass. The
// matrix is the golden file testdata/quirk-matrix.golden.
//
// make test computes it the fast way (RunFast: per quirk, only
// the scenarios whose baseline run made the mock read that quirk's
// switch). make quirk-matrix (DSRA_QUIRK_MATRIX=1) also runs the whole
// catalog once per quirk and checks that both matrices are identical,
// verdict for verdict.
func TestEveryQuirkIsCaught(t *testing.T) {
	var quirks []mockprovider.Quirk
	for _, q := range mockprovider.Quirks() {
		quirks = append(quirks, q.Name)
		assert.NotEmpty(t, quirkmatrix.Catchers(q.Name), "quirk %s names no scenario that catches it", q.Name)
	}
	b := browsertest.Browser(t)
	started := time.Now()
	fast, err := quirkmatrix.RunFast(t.Context(), b, quirks, nil, 2)
	require.NoError(t, err)
	t.Logf("fast quirk matrix: %d scenario runs instead of %d, %.1fs", fast.Runs,
		len(quirks)*len(fast.Scenarios)+len(fast.Scenarios), time.Since(started).Seconds())
	reruns := map[mockprovider.Quirk]int{}
	for _, qs := range fast.Consulted {
		for _, q := range qs {
			reruns[q]++
		}
	}
	t.Logf("scenarios run again per quirk: %v", reruns)
	for _, q := range quirks {
		for _, id := range quirkmatrix.Catchers(q) {
			assert.Contains(t, fast.Consulted[id], q, "%s catches %s but never made the mock read it", id, q)
		}
	}
	checkQuirkMatrix(t, fast.Matrix)
	if os.Getenv("DSRA_QUIRK_MATRIX") == "" {
		return
	}
	started = time.Now()
	full, err := quirkmatrix.Run(t.Context(), b, quirks, nil, 2, nil)
	require.NoError(t, err)
	t.Logf("full quirk matrix: %d scenario runs, %.1fs", len(quirks)*len(full.Scenarios), time.Since(started).Seconds())
	checkQuirkMatrix(t, full)
	for _, q := range quirks {
		for _, s := range full.Scenarios {
			assert.Equal(t, full.Verdicts[q][s.ID].Verdict, fast.Verdicts[q][s.ID].Verdict,
				"%s with %s: the full and the fast matrix differ", s.ID, q)
		}
	}
}

// checkQuirkMatrix reports the matrix's problems and compares it with the
// golden file.
func checkQuirkMatrix(t *testing.T, m *quirkmatrix.Matrix) {
	t.Helper()
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
