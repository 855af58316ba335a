package mockprovider

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// disguisingRune reports whether r can make text shown to a user read
// otherwise than it is: C0 and C1 controls, bidirectional overrides and
// isolates, zero-width and other invisible format characters (Unicode
// category Cf), and the replacement character of undecodable bytes. A
// client name "Bank\u202Egnp.exe" would show as "Bankexe.png".
func disguisingRune(r rune) bool {
	return r == utf8.RuneError || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) ||
		r == '\u2028' || r == '\u2029' || r == '\u115F' || r == '\u1160' || r == '\u3164' || r == '\uFFA0'
}

// checkDisplayText says what is wrong with text a consent page or a
// registration will show, or "" when nothing is: it must be valid UTF-8,
// 1 to maxRunes runes, without characters that disguise it.
func checkDisplayText(s string, maxRunes int) string {
	switch n := utf8.RuneCountInString(s); {
	case s == "":
		return "is empty"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case n > maxRunes:
		return fmt.Sprintf("is %d characters long; at most %d", n, maxRunes)
	}
	if i := strings.IndexFunc(s, disguisingRune); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Sprintf("contains the invisible or control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1)
	}
	if strings.TrimSpace(s) == "" {
		return "is only spaces"
	}
	return ""
}

// uriUnsafeChars are characters RFC 3986 §2 does not allow raw in a URI,
// which browsers and templates treat in different ways ("<", ">" and '"'
// end attributes and tags).
const uriUnsafeChars = " \"<>\\^`{|}"

// checkURIChars says which raw character makes raw an unsafe URI, or "".
func checkURIChars(raw string) string {
	if i := strings.IndexAny(raw, uriUnsafeChars); i >= 0 {
		return fmt.Sprintf("contains a raw %q (percent-encode it)", raw[i])
	}
	return ""
}
