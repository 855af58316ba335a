package cli_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/cli"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestList(t *testing.T) {
	code, out, _ := run(t, "list")
	require.Equal(t, cli.ExitOK, code)
	for _, s := range scenarios.Catalog() {
		assert.Contains(t, out, s.ID)
	}
	assert.Contains(t, out, "ID  ")
	code, out, _ = run(t, "list", "--json")
	require.Equal(t, cli.ExitOK, code)
	assert.Contains(t, out, `"id": "redirect/exact-match"`)
}

func TestExplainRedirect(t *testing.T) {
	code, out, _ := run(t, "explain-redirect", "http://localhost:8000/authorized", "https://localhost:8000/authorized")
	assert.Equal(t, cli.ExitMustFailed, code, "exact rejects: exit 1")
	assert.Contains(t, out, "differing: scheme")
	assert.Regexp(t, `scheme\s+http\s+https\s+<- differs`, out)
	assert.Regexp(t, `scheme-insensitive\s+accepts\s+no`, out)
	assert.Regexp(t, `exact\s+rejects\s+yes`, out)

	code, out, _ = run(t, "explain-redirect", "http://127.0.0.1:8000/cb", "http://127.0.0.1:9999/cb")
	assert.Equal(t, cli.ExitMustFailed, code)
	assert.Regexp(t, `loopback-any-port\s+accepts\s+yes`, out)

	code, out, _ = run(t, "explain-redirect", "http://localhost:8000/authorized", "http://localhost:8000/authorized")
	assert.Equal(t, cli.ExitOK, code)
	assert.Contains(t, out, "identical")

	code, _, errOut := run(t, "explain-redirect", "http://localhost:8000/authorized", "not a uri")
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, errOut, "not an absolute URI")

	code, _, _ = run(t, "explain-redirect", "only-one")
	assert.Equal(t, cli.ExitUsage, code)

	code, out, _ = run(t, "explain-redirect", "--json", "http://a.example/cb", "http://a.example/cb/evil")
	assert.Equal(t, cli.ExitMustFailed, code)
	assert.Contains(t, out, `"component": "path"`)
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"run", "--parallel", "0"},
		{"run", "--only", "nope/*"},
		{"run", "--mock-quirks", "no-such-quirk"},
		{"run", "--target", "hydra", "--mock-quirks", "code-reusable"},
		{"run", "extra-arg"},
		{"run", "--target", "../../testdata/targets/bad/unknown-role.yaml"},
		{"run", "--target", "no/such/file.yaml"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errOut := run(t, args...)
			assert.Equal(t, cli.ExitUsage, code)
			assert.NotEmpty(t, errOut)
		})
	}
	_, _, errOut := run(t, "run", "--mock-quirks", "no-such-quirk")
	assert.Contains(t, errOut, "known quirks: redirect-prefix-match")
	_, _, errOut = run(t, "run", "--target", "../../testdata/targets/bad/unknown-role.yaml")
	assert.Contains(t, errOut, "unknown-role.yaml:5: clients.tertiary")
}

// TestSubcommandHelp: every subcommand's -h/--help prints its flags and
// exits 0, like "conformance --help"; each flag reads as "-name type".
func TestSubcommandHelp(t *testing.T) {
	for _, cmd := range []string{"run", "list", "explain-redirect", "matrix", "quirk-matrix", "mock-image", "bench", "baseline", "merge"} {
		for _, flag := range []string{"-h", "--help"} {
			t.Run(cmd+" "+flag, func(t *testing.T) {
				code, _, errOut := run(t, cmd, flag)
				assert.Equal(t, cli.ExitOK, code)
				assert.Contains(t, errOut, "Usage of conformance "+cmd)
			})
		}
	}
	_, _, errOut := run(t, "run", "--help")
	assert.Contains(t, errOut, "-mock-quirks string")
	assert.NotContains(t, errOut, "-mock-quirks conformance", "no back-quoted text taken for the argument name")
}

func TestRunWritesReportsAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, out, errOut := run(t, "run", "--only", "code/reuse,me/missing-token", "--junit", junit,
		"--json", filepath.Join(dir, "r.json"), "--html", filepath.Join(dir, "html"))
	require.Equal(t, cli.ExitOK, code, out+errOut)
	assert.Regexp(t, `PASS\s+MUST\s+code/reuse`, out)
	assert.Contains(t, out, "2 passed, 0 failed, 0 skipped")
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(data, &suites))
	assert.Equal(t, 2, suites.Tests)
	assert.FileExists(t, filepath.Join(dir, "r.json"))
	assert.FileExists(t, filepath.Join(dir, "html", "index.html"))

	// A quirk that breaks a MUST rule makes the run exit 1.
	code, out, _ = run(t, "run", "--only", "code/reuse", "--mock-quirks", "code-reusable")
	assert.Equal(t, cli.ExitMustFailed, code)
	assert.Regexp(t, `FAIL\s+MUST\s+code/reuse`, out)

	// A broken SHOULD warns and still exits 0.
	code, out, _ = run(t, "run", "--only", "code/token-get-refused", "--mock-quirks", "token-get-accepted")
	assert.Equal(t, cli.ExitOK, code)
	assert.Regexp(t, `WARN\s+SHOULD\s+code/token-get-refused`, out)
}

func TestQuirksList(t *testing.T) {
	code, out, _ := run(t, "quirks")
	assert.Equal(t, cli.ExitOK, code)
	assert.Contains(t, out, "redirect-prefix-match")
	assert.Contains(t, out, "RFC 9700 §4.1.3")
}
