package scenarios_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
)

// TestResponseBrief: the one-line description cuts the body by runes,
// so a multi-byte character at the cut is never split.
func TestResponseBrief(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"short", `{"error": "invalid_grant"}`, `HTTP 400 {"error": "invalid_grant"}`},
		{"white space squashed", "a\n\n  b\tc", "HTTP 400 a b c"},
		{"160 runes kept whole", strings.Repeat("é", 160), "HTTP 400 " + strings.Repeat("é", 160)},
		{"cut after 160 runes", strings.Repeat("é", 161), "HTTP 400 " + strings.Repeat("é", 160) + "…"},
		{"cut inside a multi-byte run", strings.Repeat("a", 159) + "日本語", "HTTP 400 " + strings.Repeat("a", 159) + "日…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&scenarios.Response{Status: 400, Body: []byte(tt.body)}).Brief()
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
		})
	}
}
