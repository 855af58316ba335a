package bearer_test

import (
	"errors"
	"strings"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
)

// FuzzParse checks that Parse never panics, that what it accepts is a
// b64token that round-trips, and that every refusal carries a code of
// RFC 6750 §3.1 (or none, for a request without bearer credentials).
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "Bearer abc", "bearer a==", "Basic x", "Bearer a b", "Bearer \xff", "Bearer  =="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := bearer.Parse(header)
		if err != nil {
			var be *bearer.Error
			if !errors.As(err, &be) || (be.Code != "" && be.Code != bearer.CodeInvalidRequest) {
				t.Fatalf("Parse(%q): unexpected error %v", header, err)
			}
			return
		}
		if !bearer.ValidToken(tok) || len(tok) > bearer.MaxTokenLength {
			t.Fatalf("Parse(%q) = %q, not a b64token", header, tok)
		}
		if again, err := bearer.Parse("Bearer " + tok); err != nil || again != tok {
			t.Fatalf("round trip of %q: %q, %v", tok, again, err)
		}
	})
}

// FuzzChallenge checks that a challenge stays one header line of
// printable characters and that every value is a well-formed
// quoted-string.
func FuzzChallenge(f *testing.F) {
	f.Add("realm", "invalid_token", "the access token expired", "email")
	f.Add(`a"b\`, "x\r\ny", "é\x00", `"`)
	f.Fuzz(func(t *testing.T, realm, code, description, scope string) {
		s := bearer.Challenge{Realm: realm, Error: code, Description: description, Scope: scope}.String()
		if strings.ContainsAny(s, "\r\n\x00\x7f") {
			t.Fatalf("challenge %q has control characters", s)
		}
		rest, ok := strings.CutPrefix(s, "Bearer")
		if !ok {
			t.Fatalf("challenge %q does not start with Bearer", s)
		}
		for rest != "" {
			rest = strings.TrimPrefix(strings.TrimPrefix(rest, ","), " ")
			_, v, ok := strings.Cut(rest, "=")
			if !ok || !strings.HasPrefix(v, `"`) {
				t.Fatalf("challenge %q: parameter without a quoted value", s)
			}
			rest = skipQuoted(t, s, v)
		}
	})
}

// skipQuoted returns what follows the quoted-string at the start of v.
func skipQuoted(t *testing.T, s, v string) string {
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			return v[i+1:]
		}
	}
	t.Fatalf("challenge %q: unterminated quoted-string", s)
	return ""
}
