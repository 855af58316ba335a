package bearer

import "strings"

// Challenge is the WWW-Authenticate value of a protected resource's error
// response (RFC 6750 §3). Empty attributes are left out; Description and
// Scope are only written with an Error code.
type Challenge struct {
	// Realm is the protection space (RFC 9110 §11.5).
	Realm string
	// Error is an RFC 6750 §3.1 code such as [CodeInvalidToken]; empty
	// when the request had no credentials.
	Error string
	// Description is the error_description, for developers.
	Description string
	// Scope is the scope the resource needs, for insufficient_scope.
	Scope string
}

// String writes the challenge, for example
//
//	Bearer realm="example", error="invalid_token", error_description="the access token expired"
//
// Every value is a quoted-string (RFC 9110 §5.6.4). The realm has '"' and
// '\' escaped; error, error_description and scope may only hold the
// characters RFC 6750 §3 allows (%x20-21 / %x23-5B / %x5D-7E), so any
// other is written as '?'.
func (c Challenge) String() string {
	var b strings.Builder
	b.WriteString("Bearer")
	sep := " "
	add := func(name, value string) {
		b.WriteString(sep)
		b.WriteString(name)
		b.WriteString("=")
		b.WriteString(value)
		sep = ", "
	}
	if c.Realm != "" {
		add("realm", quote(c.Realm))
	}
	if c.Error != "" {
		add("error", quote(restrict(c.Error)))
		if c.Description != "" {
			add("error_description", quote(restrict(c.Description)))
		}
		if c.Scope != "" {
			add("scope", quote(restrict(c.Scope)))
		}
	}
	return b.String()
}

// quote writes s as a quoted-string (RFC 9110 §5.6.4): '"' and '\' are
// escaped; control characters other than tab become '?'.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 && r != '\t' || r == 0x7f:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// restrict replaces what RFC 6750 §3 does not allow in error,
// error_description and scope values by '?'.
func restrict(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '?'
		}
		return r
	}, s)
}
