package cli_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/cli"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// TestExpectedFailures: a listed scenario that fails is an xfail and the
// run exits 0; one that passes is an xpass and the run exits 1; an ID
// that is not in the catalog is a configuration error.
func TestExpectedFailures(t *testing.T) {
	list := writeFile(t, "known.yaml", "expected_failures:\n  - id: code/reuse\n    reason: the vendor's codes are reusable (OPS-42)\n")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, out, errOut := run(t, "run", "--only", "code/reuse", "--mock-quirks", "code-reusable", "--expected-failures", list, "--junit", junit)
	require.Equal(t, cli.ExitOK, code, out+errOut)
	assert.Regexp(t, `XFAIL MUST    code/reuse .*expected: the vendor's codes are reusable \(OPS-42\); got: `, out)
	assert.Contains(t, out, "0 failed, 0 warned, 0 skipped, 1 xfailed, 0 xpassed")
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(data), `<skipped message="xfail: expected: the vendor&#39;s codes are reusable (OPS-42); got: `)

	code, out, _ = run(t, "run", "--only", "code/reuse", "--expected-failures", list)
	assert.Equal(t, cli.ExitMustFailed, code, "xpass fails the run")
	assert.Regexp(t, `XPASS MUST    code/reuse .*passed, but it is listed as an expected failure`, out)

	typo := writeFile(t, "typo.yaml", "# known\nexpected_failures:\n  - {id: code/reuse, reason: r}\n  - {id: code/resue, reason: r}\n")
	code, _, errOut = run(t, "run", "--only", "code/reuse", "--expected-failures", typo)
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, errOut, `typo.yaml:4: expected_failures: "code/resue" is not a scenario ID`)
}

// TestBaselineWorkflow: a failing run, its baseline, and the same run
// passing with that baseline.
func TestBaselineWorkflow(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first.json")
	args := []string{"run", "--only", "code/exchange,code/reuse,code/reuse-revokes,me/revoked-after-reuse", "--mock-quirks", "code-reusable"}
	code, out, errOut := run(t, append(args, "--json", first)...)
	require.Equal(t, cli.ExitMustFailed, code, out+errOut)

	known := filepath.Join(dir, "known.yaml")
	code, _, errOut = run(t, "baseline", "--from", first, "--out", known)
	require.Equal(t, cli.ExitOK, code, errOut)
	assert.Contains(t, errOut, "3 expected failure(s) from 4 scenarios")
	data, err := os.ReadFile(known)
	require.NoError(t, err)
	assert.Contains(t, string(data), "# Known deviations of mock (embedded mock provider), from "+first)
	assert.Contains(t, string(data), "  - id: code/reuse\n    reason: ")
	assert.NotContains(t, string(data), "code/exchange", "it passed")

	code, out, errOut = run(t, append(args, "--expected-failures", known)...)
	assert.Equal(t, cli.ExitOK, code, out+errOut)
	assert.Contains(t, out, "1 passed, 0 failed, 0 warned, 0 skipped, 3 xfailed, 0 xpassed")

	for _, bad := range [][]string{{"baseline"}, {"baseline", "--from", filepath.Join(dir, "none.json")}, {"baseline", "--from", known}} {
		code, _, _ := run(t, bad...)
		assert.Equal(t, cli.ExitUsage, code, bad)
	}
}

// TestShardsAndMerge: three shards of the catalog are disjoint, together
// the catalog, and their merged report has the unsharded run's verdicts
// and exit code.
func TestShardsAndMerge(t *testing.T) {
	dir := t.TempDir()
	quirk := []string{"--mock-quirks", "token-error-200"} // 13 scenarios fail
	whole := filepath.Join(dir, "whole.json")
	wantCode, out, errOut := run(t, append([]string{"run", "--json", whole}, quirk...)...)
	require.Equal(t, cli.ExitMustFailed, wantCode, out+errOut)

	var shards []string
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		file := filepath.Join(dir, fmt.Sprintf("shard-%d.json", k))
		args := append([]string{"run", "--shard", fmt.Sprintf("%d/3", k), "--durations", whole, "--json", file}, quirk...)
		_, out, errOut := run(t, args...)
		require.Contains(t, out, fmt.Sprintf("conformance: shard %d/3 (plan ", k), errOut)
		for _, id := range verdicts(t, file) {
			seen[id.ID]++
		}
		shards = append(shards, file)
	}
	for _, s := range scenarios.Catalog() {
		assert.Equal(t, 1, seen[s.ID], "%s is in exactly one shard", s.ID)
	}
	assert.Len(t, seen, len(scenarios.Catalog()))

	merged := filepath.Join(dir, "merged.json")
	junit := filepath.Join(dir, "merged.xml")
	code, out, errOut := run(t, append([]string{"merge"}, append(shards, "--json", merged, "--junit", junit, "--html", filepath.Join(dir, "html"))...)...)
	assert.Equal(t, wantCode, code, out+errOut)
	assert.Equal(t, verdicts(t, whole), verdicts(t, merged), "the merge has the unsharded run's verdicts, in catalog order")
	assert.FileExists(t, filepath.Join(dir, "html", "index.html"))
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &suites))
	assert.Equal(t, len(scenarios.Catalog()), suites.Tests)
	assert.Equal(t, 11, suites.Failures, "the 13 catchers of token-error-200 less the two SHOULD rules, which warn")

	code, _, errOut = run(t, "merge", shards[0], shards[2])
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, errOut, "missing: 2/3")
	code, _, errOut = run(t, "run", "--shard", "4/3")
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, errOut, "K/N")
}

type idVerdict struct {
	ID      string            `json:"id"`
	Verdict scenarios.Verdict `json:"verdict"`
}

func verdicts(t *testing.T, file string) []idVerdict {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc struct{ Results []idVerdict }
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc.Results
}

// TestSecretsFromEnvironmentStayOut: secrets a target file takes from the
// environment appear in no report, nor in the progress lines.
func TestSecretsFromEnvironmentStayOut(t *testing.T) {
	srv := mockprovider.NewServer()
	defer srv.Close()
	secret := srv.Clients()[0].Secret
	const scopeToken = "unknown-scope-tok-3141592653"
	t.Setenv("PROVIDER_URL", srv.URL)
	t.Setenv("CLIENT_SECRET", secret)
	t.Setenv("ALICE_PASSWORD", "wonderland")
	t.Setenv("SCOPE_TOKEN", scopeToken)
	data, err := os.ReadFile("../../testdata/targets/ci.yaml")
	require.NoError(t, err)
	file := writeFile(t, "ci.yaml", strings.Replace(string(data), "unknown: not-a-scope", `unknown: "${SCOPE_TOKEN}"`, 1))

	dir := t.TempDir()
	code, out, errOut := run(t, "run", "--target", file, "--only", "scope/unknown,code/auth-basic,code/auth-post,me/bearer-header,code/wrong-secret",
		"--junit", filepath.Join(dir, "junit.xml"), "--json", filepath.Join(dir, "r.json"), "--html", filepath.Join(dir, "html"))
	require.Equal(t, cli.ExitMustFailed, code, "code/wrong-secret is listed in ci.yaml and passes: xpass\n"+out+errOut)
	texts := map[string]string{"stdout": out, "stderr": errOut}
	for _, f := range []string{"junit.xml", "r.json", "html/index.html"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		texts[f] = string(b)
	}
	assert.Contains(t, texts["r.json"], "[redacted ", "the evidence had secrets to redact")
	for name, text := range texts {
		for _, s := range []string{secret, "wonderland", scopeToken} {
			assert.NotContains(t, text, s, "%s shows a secret", name)
		}
	}
}

// TestRunThroughRemoteBrowser: --browser connects to a running Chromium,
// runs browser scenarios two at a time through it, and leaves it running.
func TestRunThroughRemoteBrowser(t *testing.T) {
	remote := browsertest.StartRemote(t)
	for _, endpoint := range []string{remote.Endpoint, remote.WebSocket} {
		code, out, errOut := run(t, "run", "--browser", endpoint, "--parallel", "2",
			"--only", "redirect/exact-match,redirect/scheme-mismatch,scope/consent-denied,me/seed-json")
		require.Equal(t, cli.ExitOK, code, out+errOut)
		assert.Contains(t, out, "4 passed, 0 failed, 0 skipped")
		assert.True(t, remote.Alive(), "the remote browser still runs")
	}
	code, _, errOut := run(t, "run", "--browser", "http://127.0.0.1:1", "--only", "me/missing-token")
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, errOut, "browser: resolve http://127.0.0.1:1")
}
