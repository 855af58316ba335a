package mockprovider

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRedactIsSaltedPerProcess (issue 9): a reader of the request log
// cannot confirm a guess of a weak secret by hashing it, while two
// records of one value still match.
func TestRedactIsSaltedPerProcess(t *testing.T) {
	sum := sha256.Sum256([]byte("hunter2"))
	assert.NotEqual(t, "[redacted "+hex.EncodeToString(sum[:4])+"]", Redact("hunter2"))
	assert.Equal(t, Redact("hunter2"), Redact("hunter2"))
	assert.NotEqual(t, Redact("hunter2"), Redact("hunter3"))
	assert.Len(t, redactionSalt, 26, "128 bits from crypto/rand")
}
