package providerspec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

// env is a fixed environment for the tests.
func env(vars map[string]string) LookupEnv {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

const envTarget = `name: %s
issuer: %s
clients:
  primary:
    id: %s
    secret: %s
    redirect_uri: http://127.0.0.1:8000/authorized
user:
  username: alice
  password: %s
`

func TestExpandEnv(t *testing.T) {
	vars := env(map[string]string{
		"CLIENT_SECRET":  "s3cr3t-from-ci",
		"PROVIDER":       "https://login.example.com",
		"EMPTY":          "",
		"ODD":            "a: b # c\n- [x]\t\"'",
		"NUMERIC_SECRET": "123456",
		"NULL_PASSWORD":  "null",
		"CLIENT_ID":      "ci-client",
	})
	tests := []struct {
		name, issuer, id, secret, password string
		want                               func(t *testing.T, tg *Spec)
	}{
		{"plain", "${PROVIDER}", "${CLIENT_ID}", "${CLIENT_SECRET}", "x1x1", func(t *testing.T, tg *Spec) {
			assert.Equal(t, "https://login.example.com", tg.Issuer)
			assert.Equal(t, "ci-client", tg.Primary().ID)
			assert.Equal(t, "s3cr3t-from-ci", tg.Primary().Secret)
			assert.Equal(t, []string{"s3cr3t-from-ci"}, tg.Secrets, "a secret field's value; the URL and the id are not secrets")
		}},
		{"defaults", "${NOPE:-http://127.0.0.1:4444}", "${EMPTY:-fallback}", "${NOPE:-written-in-the-file}", "pw", func(t *testing.T, tg *Spec) {
			assert.Equal(t, "http://127.0.0.1:4444", tg.Issuer)
			assert.Equal(t, "fallback", tg.Primary().ID, ":- applies to an empty variable too")
			assert.Equal(t, "written-in-the-file", tg.Primary().Secret)
			assert.Empty(t, tg.Secrets, "defaults are in the file: not secrets from the environment")
		}},
		{"inside a string", "${PROVIDER}/realms/ci", "id-${CLIENT_ID}-$5-$", `"$${NOT_EXPANDED}"`, "pw", func(t *testing.T, tg *Spec) {
			assert.Equal(t, "https://login.example.com/realms/ci", tg.Issuer)
			assert.Equal(t, "id-ci-client-$5-$", tg.Primary().ID)
			assert.Equal(t, "${NOT_EXPANDED}", tg.Primary().Secret, "$${ is a literal ${")
		}},
		{"values stay strings", "http://127.0.0.1:1", "a", "${NUMERIC_SECRET}", "${NULL_PASSWORD}", func(t *testing.T, tg *Spec) {
			assert.Equal(t, "123456", tg.Primary().Secret)
			assert.Equal(t, "null", tg.User.Password)
			assert.ElementsMatch(t, []string{"123456", "null"}, tg.Secrets)
		}},
		{"YAML in a value is text", "http://127.0.0.1:1", "a", "${ODD}", "pw", func(t *testing.T, tg *Spec) {
			assert.Equal(t, "a: b # c\n- [x]\t\"'", tg.Primary().Secret)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fmt.Sprintf(envTarget, "env", tt.issuer, tt.id, tt.secret, tt.password)
			tg, err := ParseEnv("env.yaml", []byte(data), vars)
			require.NoError(t, err)
			tt.want(t, tg)
		})
	}
}

func TestExpandEnvErrors(t *testing.T) {
	vars := env(map[string]string{"SET": "x"})
	for _, tt := range []struct {
		name, field, want string
	}{
		{"unset", "${MISSING_SECRET}", "env.yaml:6: clients.primary.secret: environment variable MISSING_SECRET is not set"},
		{"unset in a string", "pre-${MISSING}-post", "env.yaml:6: clients.primary.secret: environment variable MISSING is not set"},
		{"unterminated", "${SET", "without its closing }"},
		{"bad name", "${1SET}", `"1SET" is not a variable name`},
		{"empty name", "${}", `"" is not a variable name`},
		{"shell syntax", "${SET:=x}", `"SET:=x" is not a variable name`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := fmt.Sprintf(envTarget, "env", "http://127.0.0.1:1", "a", tt.field, "pw")
			_, err := ParseEnv("env.yaml", []byte(data), vars)
			var fe *FileError
			require.True(t, errors.As(err, &fe), "a FileError: %v", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, 6, fe.Line)
		})
	}
	// Keys are not expanded: a ${} key is an unknown field.
	_, err := ParseEnv("env.yaml", []byte("${SET}: 1\n"+fmt.Sprintf(envTarget, "n", "http://127.0.0.1:1", "a", "s", "pw")), vars)
	assert.ErrorContains(t, err, `env.yaml:1: unknown field "${SET}"`)
}

func TestSecretNames(t *testing.T) {
	for name, secret := range map[string]bool{
		"CLIENT_SECRET": true, "OIDC_PASSWORD": true, "API_TOKEN": true, "SIGNING_KEY": true, "DB_PASS": true,
		"APIKEY": true, "GCP_CREDENTIALS": true, "clientSecret": true, "ROOT_PWD": true,
		"KEYCLOAK_URL": false, "MONKEY": false, "PROVIDER_URL": false, "CLIENT_ID": false, "TOKENIZER_HOST": false,
	} {
		assert.Equal(t, secret, secretName.MatchString(name), name)
	}
	// A secret variable is a secret whatever field it fills.
	data := strings.Replace(fmt.Sprintf(envTarget, "n", "http://127.0.0.1:1", "${API_TOKEN}", "s3", "pw"), "http://127.0.0.1:1", "http://127.0.0.1:1", 1)
	tg, err := ParseEnv("env.yaml", []byte(data), env(map[string]string{"API_TOKEN": "tok-123456"}))
	require.NoError(t, err)
	assert.Equal(t, []string{"tok-123456"}, tg.Secrets)
}

// TestStrictAfterExpansion: the expanded tree is decoded as strictly as
// a file: unknown fields anywhere are errors with their line.
func TestStrictAfterExpansion(t *testing.T) {
	base := fmt.Sprintf(envTarget, "n", "http://127.0.0.1:1", "a", "s", "pw") + "timeout: ${T:-5s}\n"
	tg, err := ParseEnv("env.yaml", []byte(base), env(nil))
	require.NoError(t, err)
	assert.Equal(t, "5s", tg.StepTimeout().String(), "a duration from ${T:-5s}")
	_, err = ParseEnv("env.yaml", []byte(base), env(map[string]string{"T": "soon"}))
	assert.ErrorContains(t, err, `env.yaml:11: timeout: "soon" is not a duration`)
	for extra, want := range map[string]string{
		"clients_typo: {}\n":    `env.yaml:12: unknown field "clients_typo"`,
		"login: {usernme: x}\n": `env.yaml:12: unknown field "usernme"`,
		"expected_failures: [{id: code/reuse, reason: r, ticket: 1}]\n":                `env.yaml:12: expected_failures: unknown field "ticket"`,
		"resource: {url: \"http://a.example/r\", scope: a, without: b, method: GET}\n": `unknown field "method"`,
	} {
		_, err := ParseEnv("env.yaml", []byte(base+extra), env(nil))
		assert.ErrorContains(t, err, want, extra)
	}
}

func TestCAFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	ca, err := devca.New("dsra test CA")
	require.NoError(t, err)
	require.NoError(t, ca.WriteCertPEM(good))
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o644))
	base := fmt.Sprintf(envTarget, "n", "https://127.0.0.1:1", "a", "s", "pw")
	tg, err := ParseEnv(filepath.Join(dir, "t.yaml"), []byte(base+"ca_file: ca.pem\n"), env(nil))
	require.NoError(t, err, "relative to the target file")
	require.NotNil(t, tg.RootCAs)
	assert.NotNil(t, tg.Transport().TLSClientConfig)
	for file, want := range map[string]string{
		notPEM:          "holds no PEM certificate",
		dir + "/no.pem": "no such file",
	} {
		_, err := ParseEnv("t.yaml", []byte(base+"ca_file: "+file+"\n"), env(nil))
		assert.ErrorContains(t, err, "t.yaml:11: ca_file: ", file)
		assert.ErrorContains(t, err, want)
	}
}

// A target file's text is the user's, but the environment is the CI's:
// expansion never panics, and a value without a reference stays as it is.
func FuzzExpandString(f *testing.F) {
	for _, s := range []string{"${A}", "x${A:-d}y", "$${A}", "${", "${A", "$", "${A:-${B}}", "€${A}\xff"} {
		f.Add(s, "value")
	}
	f.Fuzz(func(t *testing.T, s, value string) {
		out, _, err := expandString(s, env(map[string]string{"A": value, "B": ""}))
		if err == nil && !strings.Contains(s, "$") && out != s {
			t.Fatalf("%q changed to %q", s, out)
		}
	})
}
