package textcut_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

func TestRunes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "abc", 5, "abc"},
		{"exact", "abc", 3, "abc"},
		{"ascii", "abcdef", 4, "abcd"},
		{"two-byte", "päivää", 3, "päi"},
		{"four-byte", "a😀b😀c", 2, "a😀"},
		{"zero", "abc", 0, ""},
		{"negative", "abc", -1, ""},
		{"empty", "", 3, ""},
		{"invalid byte counts as one rune", "a\xffbc", 2, "a\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, textcut.Runes(tt.in, tt.n))
		})
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"unchanged", "Bearer", 20, "Bearer"},
		{"exact", "Bearer", 6, "Bearer"},
		{"cut", "Bearerish", 6, "Bearer…"},
		{"never inside a character", strings.Repeat("é", 30), 20, strings.Repeat("é", 20) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := textcut.Cut(tt.in, tt.n)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
		})
	}
}

func TestSquash(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a b c", textcut.Squash("  a\n\tb   c \n", 10))
	assert.Equal(t, "a b…", textcut.Squash("a\n b\n c", 3))
}

func TestLastLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb", 5, "a\nb"},
		{"a\n\n\n", 1, "a"},
		{"", 3, ""},
		{"é\nü", 1, "ü"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, textcut.LastLines(tc.in, tc.n))
		})
	}
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "abc", "päivää", "a\xffb", "😀😀😀"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := textcut.Runes(s, n)
		if !strings.HasPrefix(s, got) {
			t.Fatalf("Runes(%q, %d) = %q is not a prefix", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Runes(%q, %d) = %q cut a character", s, n, got)
		}
		if c := utf8.RuneCountInString(got); c > max(n, 0) {
			t.Fatalf("Runes(%q, %d) has %d runes", s, n, c)
		}
	})
}
