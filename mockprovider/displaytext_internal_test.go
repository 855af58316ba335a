package mockprovider

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckDisplayText(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"plain", "My App", ""},
		{"accents and emoji", "Café ☕ Ünïcode", ""},
		{"right-to-left script", "تطبيق", ""},
		{"empty", "", "is empty"},
		{"spaces only", "   ", "is only spaces"},
		{"too long", strings.Repeat("é", 201), "is 201 characters long; at most 200"},
		{"runes, not bytes", strings.Repeat("é", 200), ""},
		{"right-to-left override", "Bank\u202egnp.exe", "U+202E at character 5"},
		{"left-to-right isolate", "a\u2066b", "U+2066"},
		{"zero-width space", "Pay\u200bPal", "U+200B"},
		{"zero-width joiner", "a\u200db", "U+200D"},
		{"byte order mark", "\ufeffApp", "U+FEFF"},
		{"soft hyphen", "Pay\u00adPal", "U+00AD"},
		{"C0 newline", "App\nInjected", "U+000A"},
		{"C0 NUL", "App\x00", "U+0000"},
		{"DEL", "App\x7f", "U+007F"},
		{"C1 control", "App\u0085", "U+0085"},
		{"Hangul filler", "A\u3164B", "U+3164"},
		{"line separator", "A\u2028B", "U+2028"},
		{"invalid UTF-8", "App\xff", "is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkDisplayText(tc.text, 200)
			if tc.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tc.want)
			}
		})
	}
}

func TestCheckURIChars(t *testing.T) {
	assert.Empty(t, checkURIChars("http://localhost:8000/cb?x=%22"))
	for _, bad := range []string{`http://a/"onmouseover=x`, "http://a/<script>", "http://a/>", "http://a/ b", "http://a/{x}", "http://a/`"} {
		assert.NotEmpty(t, checkURIChars(bad), bad)
	}
}

func FuzzCheckDisplayText(f *testing.F) {
	for _, s := range []string{"App", "Bank\u202egnp.exe", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkDisplayText(s, 200) != "" {
			return
		}
		for _, r := range s {
			assert.False(t, disguisingRune(r), "accepted %q with U+%04X", s, r)
		}
	})
}
