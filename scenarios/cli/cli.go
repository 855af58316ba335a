// Package cli is the conformance command: run the suite against a
// target, list the catalog, explain a redirect URI mismatch. The binary
// scenarios/cmd/conformance only calls [Main].
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

// Exit codes.
const (
	ExitOK          = 0   // no MUST-level scenario failed
	ExitMustFailed  = 1   // a MUST-level scenario failed, or an xpass (explain-redirect: exact rejects)
	ExitUsage       = 2   // usage or configuration error
	ExitInterrupted = 130 // Ctrl-C
)

const usage = `usage:
  conformance run [--target mock|hydra|oidc-provider|FILE] [--only GLOB[,GLOB]] [--junit F] [--json F] [--html DIR]
                  [--parallel N] [--mock-quirks a,b] [--mock-redirect-policy P] [--hydra-mode auto|docker|process]
                  [--hydra-image IMAGE] [--oidc-provider-mode auto|docker|process] [--timeout D] [--no-screenshots]
                  [--expected-failures FILE] [--shard K/N [--durations report.json]]
                  [--browser ws://HOST:PORT/...|http://HOST:PORT]
  conformance merge a.json b.json ... [--junit F] [--json F] [--html DIR]
  conformance baseline --from report.json [--out F]
  conformance list [--json]
  conformance explain-redirect [--json] [--as POLICY|PROFILE] REGISTERED PRESENTED
  conformance quirks
  conformance matrix [--targets mock,hydra,oidc-provider] [--out F]
  conformance quirk-matrix [--quirks a,b]
  conformance hydra-image
  conformance mock-image [--save FILE]
  conformance bench [--rounds N]
`

// Main runs the command with args (without the program name) and returns
// the exit code. ctx cancellation (Ctrl-C) stops a run cleanly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "explain-redirect":
		return cmdExplainRedirect(args[1:], stdout, stderr)
	case "quirks":
		return cmdQuirks(stdout)
	case "matrix":
		return cmdMatrix(ctx, args[1:], stdout, stderr)
	case "bench":
		return cmdBench(ctx, args[1:], stdout, stderr)
	case "hydra-image":
		return cmdHydraImage(ctx, stdout, stderr)
	case "mock-image":
		return cmdMockImage(ctx, args[1:], stdout, stderr)
	case "quirk-matrix":
		return cmdQuirkMatrix(ctx, args[1:], stdout, stderr)
	case "baseline":
		return cmdBaseline(args[1:], stdout, stderr)
	case "merge":
		return cmdMerge(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "conformance: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

// parseExit is the exit code of a subcommand whose flags did not parse:
// ExitOK for -h/--help (the flag package printed the usage), like
// "conformance --help"; ExitUsage otherwise.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// newLogger logs warnings and errors to stderr.
func newLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// launchBrowser starts Chromium for a run of parallel scenarios at a
// time; a failure is reported on stderr.
func launchBrowser(ctx context.Context, logger *slog.Logger, parallel int, stderr io.Writer) (*browser.Browser, error) {
	b, err := browser.Launch(ctx, browser.Options{Logger: logger, Prepared: parallel, LoopbackOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
	}
	return b, err
}
