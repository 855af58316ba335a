package scope_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

func TestValidToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"email", true},
		{"offline_access", true},
		{"https://api.example.com/read", true},
		{"!#[]~", true},
		{"", false},
		{"a b", false},
		{"a\tb", false},
		{`a"b`, false},
		{`a\b`, false},
		{"é", false},
		{"a\x7f", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scope.ValidToken(tt.in))
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
		bad      string
	}{
		{"empty", "", nil, ""},
		{"one", "email", []string{"email"}, ""},
		{"two", "email profile", []string{"email", "profile"}, ""},
		{"repeated spaces", "  email   profile ", []string{"email", "profile"}, ""},
		{"duplicates dropped, order kept", "profile email profile", []string{"profile", "email"}, ""},
		{"tab is not a delimiter", "email\tprofile", nil, "email\tprofile"},
		{"quote", `email "x"`, nil, `"x"`},
		{"case-sensitive", "Email email", []string{"Email", "email"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scope.Parse(tt.in)
			if tt.bad != "" {
				var te *scope.TokenError
				require.True(t, errors.As(err, &te), "%v", err)
				assert.Equal(t, tt.bad, te.Token)
				assert.Contains(t, err.Error(), "RFC 6749 §3.3")
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestJoinHasSubset(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "email profile", scope.Join([]string{"email", "profile"}))
	assert.Equal(t, "", scope.Join(nil))
	assert.True(t, scope.Has("openid email", "email"))
	assert.False(t, scope.Has("openid emails", "email"))
	assert.False(t, scope.Has("openid  email", ""))
	assert.True(t, scope.Subset([]string{"email"}, []string{"email", "profile"}))
	assert.True(t, scope.Subset(nil, []string{"email"}))
	assert.False(t, scope.Subset([]string{"email", "admin"}, []string{"email"}))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "email profile", " a  b ", "a\tb", `"`, "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scopes, err := scope.Parse(s)
		if err != nil {
			return
		}
		for _, tok := range scopes {
			if !scope.ValidToken(tok) {
				t.Fatalf("Parse(%q) returned invalid token %q", s, tok)
			}
		}
		again, err := scope.Parse(scope.Join(scopes))
		if err != nil || len(again) != len(scopes) {
			t.Fatalf("Parse(Join(Parse(%q))) = %q, %v", s, again, err)
		}
	})
}
