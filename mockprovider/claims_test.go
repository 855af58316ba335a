package mockprovider

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUserClaimsFollowTheScopes(t *testing.T) {
	t.Parallel()
	u := &User{Username: "carol", Email: "carol@example.com", Claims: map[string]any{
		"name": "Carol", "email_verified": true, "phone_number": "+1 555", "address": map[string]any{"country": "NZ"},
		"groups": []any{"admins"}, "tenant": map[string]any{"id": 7},
	}}
	c := &Client{ID: "c", Claims: map[string]any{"tier": "gold", "groups": []any{"from-client"}}}
	tests := []struct {
		scopes []string
		want   []string
		absent []string
	}{
		{[]string{"openid"}, []string{"sub", "groups", "tenant", "tier"}, []string{"name", "email", "phone_number", "address"}},
		{[]string{"openid", "email"}, []string{"email", "email_verified"}, []string{"name", "preferred_username"}},
		{[]string{"openid", "profile"}, []string{"name", "preferred_username"}, []string{"email"}},
		{[]string{"openid", "phone", "address"}, []string{"phone_number", "address"}, []string{"email", "name"}},
	}
	for _, tt := range tests {
		got := userClaims(u, c, tt.scopes)
		for _, name := range tt.want {
			assert.Contains(t, got, name, "scopes %v", tt.scopes)
		}
		for _, name := range tt.absent {
			assert.NotContains(t, got, name, "scopes %v", tt.scopes)
		}
		assert.Equal(t, []any{"admins"}, got["groups"], "the user's claim wins over the client's")
		assert.Equal(t, DefaultSubject("carol"), got["sub"])
	}
	assert.Equal(t, "carol", userClaims(u, c, []string{"profile"})["preferred_username"])
}

func TestSubject(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "248289761001", (&User{Username: "x", Subject: "248289761001"}).subject())
	assert.Equal(t, DefaultSubject("alice"), (&User{Username: "alice"}).subject())
	assert.NotEqual(t, "alice", DefaultSubject("alice"))
	assert.NotEqual(t, DefaultSubject("bob"), DefaultSubject("alice"))
	assert.Len(t, DefaultSubject("alice"), 22)
}

func TestValidateClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		claims   map[string]any
		standard bool
		wantErr  string
	}{
		{"custom values of every JSON type", map[string]any{"s": "x", "n": 1.5, "b": true, "a": []any{1, "x"}, "o": map[string]any{"k": []any{}}}, false, ""},
		{"standard claims for a user", map[string]any{"name": "x", "address": map[string]any{"country": "NZ"}}, true, ""},
		{"registered claim", map[string]any{"iss": "x"}, true, "set by the provider"},
		{"standard claim for a client", map[string]any{"name": "x"}, false, "belongs to the user"},
		{"name with a space", map[string]any{"a b": 1}, true, "without spaces"},
		{"empty name", map[string]any{"": 1}, true, "1 to 200"},
		{"non-string keys", map[string]any{"m": map[any]any{1: 2}}, true, "cannot be a JSON claim"},
		{"NaN", map[string]any{"n": math.NaN()}, true, "cannot be a JSON claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := validateClaims(tt.claims, tt.standard)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestParseHintClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		want    *hintClaims
		wantErr string
	}{
		{"string aud", `{"iss":"I","sub":"s","aud":"c"}`, &hintClaims{Subject: "s", Audience: []string{"c"}}, ""},
		{"array aud", `{"iss":"I","sub":"s","aud":["c","d"]}`, &hintClaims{Subject: "s", Audience: []string{"c", "d"}}, ""},
		{"other issuer", `{"iss":"J","sub":"s","aud":"c"}`, nil, "issued by"},
		{"no sub", `{"iss":"I","aud":"c"}`, nil, "no sub"},
		{"numeric aud", `{"iss":"I","sub":"s","aud":1}`, nil, "neither a string"},
		{"empty aud", `{"iss":"I","sub":"s","aud":[]}`, nil, "no aud"},
		{"not JSON", `[`, nil, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseHintClaims([]byte(tt.payload), "I")
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseHintClaims(f *testing.F) {
	for _, s := range []string{`{"iss":"I","sub":"s","aud":"c"}`, `{"iss":"I","sub":"s","aud":["c"]}`, `{"aud":null}`, `1`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := parseHintClaims(payload, "I")
		if err != nil {
			return
		}
		if got.Subject == "" || len(got.Audience) == 0 {
			t.Fatalf("accepted a hint without sub or aud: %s", payload)
		}
	})
}

func FuzzIDTokenHint(f *testing.F) {
	p, err := New()
	if err != nil {
		f.Fatal(err)
	}
	u := DefaultUsers()[0]
	good, err := p.idToken(idTokenRequest{issuer: testIssuer, client: p.client(SeedClientID), user: &u, authTime: p.Now()}, quirkSet{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, good[:len(good)-2], "a.b.c", "", unsignedJWT([]byte(`{"iss":"x"}`))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hint string) {
		got, err := p.parseIDTokenHint(hint, testIssuer)
		if err != nil {
			return
		}
		// The only token this provider signed is good: whatever else is
		// accepted must carry its claims, or the signature check failed.
		if got.Subject != DefaultSubject("alice") || len(got.Audience) != 1 || got.Audience[0] != SeedClientID {
			payload, _ := json.Marshal(got)
			t.Fatalf("accepted a forged hint %q: %s", hint, payload)
		}
	})
}

// FuzzParseUsersClaims feeds users fixtures with claims to the strict
// loader: whatever it accepts must give claims that every token and
// UserInfo answer can carry as JSON.
func FuzzParseUsersClaims(f *testing.F) {
	for _, s := range []string{
		"users:\n  - username: a\n    password: b\n    claims:\n      groups: [x, 1, true]\n      o: {k: {n: 1.5}}\n",
		"users:\n  - username: a\n    password: b\n    sub: s-1\n    claims: {name: A, address: {country: NZ}}\n",
		"users:\n  - username: a\n    password: b\n    claims: {1: x}\n",
		"users:\n  - username: a\n    password: b\n    claims: {n: .nan}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		users, err := ParseUsers("fuzz.yaml", data)
		if err != nil {
			return
		}
		c := DefaultClients()[0]
		for i := range users {
			claims := userClaims(&users[i], &c, OpenIDScopes)
			if _, err := json.Marshal(claims); err != nil {
				t.Fatalf("accepted claims that are not JSON: %v", err)
			}
			if claims["sub"] == "" {
				t.Fatal("a user without sub")
			}
		}
	})
}
