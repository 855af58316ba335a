package mockprovider

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// The request log never holds a secret: these parameters are replaced by
// a fingerprint of their value.
var secretParams = map[string]bool{
	"client_secret": true, "code": true, "code_verifier": true, "password": true, "access_token": true,
	"refresh_token": true, "token": true, "csrf": true, "consent_id": true, "id_token_hint": true,
}

// redactionSalt is drawn once per process: two records of one value in
// a process still share a fingerprint, but a reader of the log cannot
// confirm a guess of a weak secret by hashing it.
var redactionSalt = rand.Text()

// Redact replaces a secret by a fingerprint of it, salted per process.
func Redact(secret string) string {
	sum := sha256.Sum256([]byte(redactionSalt + secret))
	return "[redacted " + hex.EncodeToString(sum[:4]) + "]"
}

// redactValues redacts the secrets among the parameters and clips the
// rest (see clipParams).
func redactValues(v url.Values) map[string][]string {
	return clipParams(v, func(name, value string) string {
		if secretParams[name] {
			return Redact(value)
		}
		return clipValue(value)
	})
}

func redactLocation(loc string) string {
	base, query, ok := strings.Cut(loc, "?")
	if !ok {
		return loc
	}
	frag := ""
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query, frag = query[:i], query[i:]
	}
	parts := strings.Split(query, "&")
	for i, part := range parts {
		k, v, _ := strings.Cut(part, "=")
		if name, err := url.QueryUnescape(k); err == nil && secretParams[name] {
			parts[i] = k + "=" + url.QueryEscape(Redact(v))
		}
	}
	return base + "?" + strings.Join(parts, "&") + frag
}
