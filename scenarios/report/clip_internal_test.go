package report

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// TestClip: the HTML report cuts a body after maxHTMLBody characters,
// never inside one, and says how many characters it left out.
func TestClip(t *testing.T) {
	tests := []struct {
		name, body, wantHead string
		left                 int
	}{
		{"short", "hello", "hello", 0},
		{"exactly the limit", strings.Repeat("é", maxHTMLBody), strings.Repeat("é", maxHTMLBody), 0},
		{"multi-byte over the limit", strings.Repeat("é", maxHTMLBody+3), strings.Repeat("é", maxHTMLBody), 3},
		{"ASCII over the limit", strings.Repeat("a", maxHTMLBody-1) + "日本語", strings.Repeat("a", maxHTMLBody-1) + "日", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.body)
			assert.True(t, utf8.ValidString(got))
			if tt.left == 0 {
				assert.Equal(t, tt.body, got)
				return
			}
			head, tail, ok := strings.Cut(got, "\n... (")
			assert.True(t, ok, "a note says what was left out")
			assert.Equal(t, tt.wantHead, head)
			assert.Equal(t, strconv.Itoa(tt.left)+" more characters in the JSON report)", tail)
		})
	}
}
