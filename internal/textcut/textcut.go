package textcut

import "strings"

// Ellipsis is what [Cut] appends to a shortened text.
const Ellipsis = "…"

// Runes returns the first n runes of s, or s itself when it has no more
// than n. Invalid UTF-8 bytes count as one rune each and are kept as they
// are; a negative n counts as 0.
func Runes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for at := range s {
		if i == n {
			return s[:at]
		}
		i++
	}
	return s
}

// Cut returns s unchanged when it has at most n runes, else its first n
// runes followed by [Ellipsis].
func Cut(s string, n int) string {
	if short := Runes(s, n); len(short) < len(s) {
		return short + Ellipsis
	}
	return s
}

// Squash joins the words of s with single spaces (newlines and runs of
// white space become one space) and then applies [Cut]: a one-line
// excerpt of a page or a response body.
func Squash(s string, n int) string {
	return Cut(strings.Join(strings.Fields(s), " "), n)
}

// LastLines returns the last n lines of s, without its final line breaks.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
