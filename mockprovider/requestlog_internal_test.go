package mockprovider

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestLogIsARing(t *testing.T) {
	l := newRequestLog(3)
	for i := range 5 {
		assert.Equal(t, i+1, l.add(RequestRecord{Path: fmt.Sprint("/", i)}))
	}
	seqs := func(recs []RequestRecord) []int {
		var out []int
		for _, r := range recs {
			out = append(out, r.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		name         string
		after, limit int
		want         []int
	}{
		{"all kept", 0, 0, []int{3, 4, 5}},
		{"after", 3, 0, []int{4, 5}},
		{"limit", 0, 2, []int{3, 4}},
		{"after and limit", 3, 1, []int{4}},
		{"after the last", 5, 0, nil},
		{"negative limit is all", 0, -1, []int{3, 4, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, seqs(l.page(tc.after, tc.limit)))
		})
	}
	assert.Equal(t, "/4", l.page(4, 1)[0].Path)
	l.clear()
	assert.Empty(t, l.page(0, 0))
	assert.Equal(t, 1, l.add(RequestRecord{}), "Seq restarts after a clear")
}

func TestClipValueCutsRunes(t *testing.T) {
	assert.Equal(t, "short", clipValue("short"))
	long := strings.Repeat("é", maxLoggedValue+10)
	got := clipValue(long)
	assert.True(t, utf8.ValidString(got), "cut on a rune boundary")
	assert.Equal(t, strings.Repeat("é", maxLoggedValue)+fmt.Sprintf("…[%d bytes]", len(long)), got)
	exact := strings.Repeat("x", maxLoggedValue)
	assert.Equal(t, exact, clipValue(exact))
}

func TestClipParamsBoundsARecord(t *testing.T) {
	v := map[string][]string{}
	for i := range maxLoggedParams + 5 {
		v[fmt.Sprintf("p%03d", i)] = []string{strings.Repeat("a", 10)}
	}
	v["p000"] = []string{"1", "2", "3", "4", "5", "6"}
	v["code"] = []string{"secret"}
	got := clipParams(v, func(name, value string) string {
		if name == "code" {
			return "[redacted]"
		}
		return clipValue(value)
	})
	require.Len(t, got, maxLoggedParams+1)
	assert.Equal(t, []string{"[redacted]"}, got["code"])
	assert.Equal(t, []string{"1", "2", "3", "4", "…[2 more values]"}, got["p000"])
	assert.Equal(t, []string{"6 more parameters"}, got[omittedParams])
	assert.Nil(t, clipParams(nil, nil))

	// Long values: the byte budget ends the record early.
	huge := map[string][]string{}
	for i := range 20 {
		huge[fmt.Sprintf("h%02d", i)] = []string{strings.Repeat("é", 100_000), "second"}
	}
	got = clipParams(huge, func(_, value string) string { return clipValue(value) })
	size := 0
	for name, vs := range got {
		size += len(name)
		for _, s := range vs {
			size += len(s)
		}
	}
	assert.LessOrEqual(t, size, maxLoggedBytes+2*(4*maxLoggedValue+40), "a record stays within the budget")
	assert.Contains(t, got[omittedParams][0], "more parameters")
}
