package bearer_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header string
		token        string
		code         string // "" with token "" means: no credentials
	}{
		{"bearer", "Bearer abc.DEF-1_2~3+4/5==", "abc.DEF-1_2~3+4/5==", ""},
		{"scheme case-insensitive", "bEaReR tok", "tok", ""},
		{"extra spaces before token", "Bearer   tok", "tok", ""},
		{"empty header", "", "", ""},
		{"basic", "Basic dXNlcjpwYXNz", "", ""},
		{"scheme only", "Bearer", "", bearer.CodeInvalidRequest},
		{"empty token", "Bearer ", "", bearer.CodeInvalidRequest},
		{"only padding", "Bearer ==", "", bearer.CodeInvalidRequest},
		{"padding in the middle", "Bearer a=b", "", bearer.CodeInvalidRequest},
		{"space inside", "Bearer a b", "", bearer.CodeInvalidRequest},
		{"non-ASCII", "Bearer tökén", "", bearer.CodeInvalidRequest},
		{"too long", "Bearer " + strings.Repeat("a", bearer.MaxTokenLength+1), "", bearer.CodeInvalidRequest},
		{"longest", "Bearer " + strings.Repeat("a", bearer.MaxTokenLength), strings.Repeat("a", bearer.MaxTokenLength), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := bearer.Parse(tt.header)
			if tt.token != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.token, got)
				return
			}
			var be *bearer.Error
			require.True(t, errors.As(err, &be), "%v", err)
			assert.Equal(t, tt.code, be.Code)
			assert.NotEmpty(t, be.Description)
			assert.Empty(t, got)
			if tt.code == "" {
				assert.ErrorIs(t, err, bearer.ErrNoToken)
			} else {
				assert.ErrorIs(t, err, bearer.ErrInvalidRequest)
			}
		})
	}
}

func TestFromHeader(t *testing.T) {
	t.Parallel()
	tok, err := bearer.FromHeader(http.Header{"Authorization": {"Bearer tok"}})
	require.NoError(t, err)
	assert.Equal(t, "tok", tok)

	_, err = bearer.FromHeader(http.Header{})
	assert.ErrorIs(t, err, bearer.ErrNoToken)
	assert.ErrorContains(t, err, "send Authorization: Bearer <token>")

	_, err = bearer.FromHeader(http.Header{"Authorization": {"Bearer a", "Bearer b"}})
	assert.ErrorIs(t, err, bearer.ErrInvalidRequest)
	assert.ErrorContains(t, err, "more than one Authorization header")
}

func TestChallenge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    bearer.Challenge
		want string
	}{
		{"no credentials", bearer.Challenge{Realm: "mockprovider"}, `Bearer realm="mockprovider"`},
		{"nothing", bearer.Challenge{}, `Bearer`},
		{"invalid token", bearer.Challenge{Realm: "r", Error: bearer.CodeInvalidToken, Description: "the access token expired"},
			`Bearer realm="r", error="invalid_token", error_description="the access token expired"`},
		{"insufficient scope", bearer.Challenge{Realm: "r", Error: bearer.CodeInsufficientScope, Description: "needs email", Scope: "email"},
			`Bearer realm="r", error="insufficient_scope", error_description="needs email", scope="email"`},
		{"description without code is dropped", bearer.Challenge{Realm: "r", Description: "x", Scope: "y"}, `Bearer realm="r"`},
		{"realm escaped", bearer.Challenge{Realm: `a"b\c`}, `Bearer realm="a\"b\\c"`},
		{"realm control characters", bearer.Challenge{Realm: "a\r\nb"}, `Bearer realm="a??b"`},
		{"description restricted", bearer.Challenge{Error: "invalid_token", Description: `bad "x" \ é` + "\n"},
			`Bearer error="invalid_token", error_description="bad ?x? ? ??"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.c.String())
		})
	}
}
