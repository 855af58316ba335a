package providerspec

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpectedFailuresInTargetFile(t *testing.T) {
	data := fmt.Sprintf(envTarget, "n", "http://127.0.0.1:1", "a", "s", "pw") + `expected_failures:
  - id: code/wrong-secret
    reason: answers 401 without WWW-Authenticate (ticket ${TICKET:-OPS-1})
  - {id: me/query-token, reason: "accepts ?access_token="}
`
	tg, err := ParseEnv("t.yaml", []byte(data), env(nil))
	require.NoError(t, err)
	assert.Equal(t, []ExpectedFailure{
		{ID: "code/wrong-secret", Reason: "answers 401 without WWW-Authenticate (ticket OPS-1)", File: "t.yaml", Line: 12},
		{ID: "me/query-token", Reason: "accepts ?access_token=", File: "t.yaml", Line: 14},
	}, tg.ExpectedFailures)
}

func TestParseExpectedFailures(t *testing.T) {
	list, err := ParseExpectedFailures("x.yaml", []byte("# reviewed\nexpected_failures:\n  - id: code/reuse\n    reason: known\n"))
	require.NoError(t, err)
	assert.Equal(t, []ExpectedFailure{{ID: "code/reuse", Reason: "known", File: "x.yaml", Line: 3}}, list)

	for in, want := range map[string]string{
		"":                                  "x.yaml: the file is empty",
		"expected_failure: []\n":            `x.yaml:1: unknown field "expected_failure"`,
		"expected_failures: [code/reuse]\n": "x.yaml:1: expected_failures: each entry is {id: SCENARIO-ID, reason: WHY}",
		"expected_failures:\n  - id: code/reuse\n":                                 "x.yaml:2: expected_failures: code/reuse has no reason",
		"expected_failures:\n  - reason: r\n":                                      "x.yaml:2: expected_failures: an entry has no id",
		"expected_failures:\n  - {id: a/b, reason: r, why: w}\n":                   `x.yaml:2: expected_failures: unknown field "why"`,
		"expected_failures:\n  - {id: a/b, reason: [r]}\n":                         "x.yaml:2: expected_failures: reason must be a string",
		"expected_failures:\n  - {id: a/b, reason: r}\n  - {id: a/b, reason: s}\n": "x.yaml:3: expected_failures: a/b is already listed on line 2",
	} {
		_, err := ParseExpectedFailures("x.yaml", []byte(in))
		assert.ErrorContains(t, err, want, "%q", in)
	}
}

func TestWriteExpectedFailuresRoundTrip(t *testing.T) {
	list := []ExpectedFailure{
		{ID: "code/wrong-secret", Reason: "status 401 without WWW-Authenticate: \"Bearer\"\nsecond line"},
		{ID: "me/query-token", Reason: "x: y # not a comment"},
	}
	var b bytes.Buffer
	require.NoError(t, WriteExpectedFailures(&b, "written by conformance baseline\nreview every reason", list))
	assert.Contains(t, b.String(), "# written by conformance baseline\n# review every reason\nexpected_failures:\n")
	back, err := ParseExpectedFailures("b.yaml", b.Bytes())
	require.NoError(t, err)
	require.Len(t, back, 2)
	for i := range list {
		assert.Equal(t, list[i].ID, back[i].ID)
		assert.Equal(t, list[i].Reason, back[i].Reason)
	}
	b.Reset()
	require.NoError(t, WriteExpectedFailures(&b, "nothing failed", nil))
	back, err = ParseExpectedFailures("b.yaml", b.Bytes())
	require.NoError(t, err)
	assert.Empty(t, back)
}
