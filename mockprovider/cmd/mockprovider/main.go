// Command mockprovider serves the deterministic mock OAuth 2.0 provider.
//
//	mockprovider [--listen 127.0.0.1:9000] [--clients F] [--users F] [--seed N|random]
//	             [--clock virtual|real] [--redirect-policy P] [--pkce optional|required|s256]
//	             [--quirks a,b] [--issuer URL] [--remote-control] [--state DIR]
//	             [--tls | --tls-cert F --tls-key F] [--tls-ca-out F] [--request-log N]
//	mockprovider --health-check [--listen ADDR]
//
// The flags are [mockprovider.Flags]; run with -h for the list. The
// environment variable MOCKPROVIDER_LISTEN gives --listen's default (the
// container image sets it to 0.0.0.0:9000). SIGTERM, SIGINT or SIGHUP
// drain the requests under way and exit 0; a second signal exits at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpserve"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// ListenEnv names the environment variable that gives --listen's default.
const ListenEnv = "MOCKPROVIDER_LISTEN"

// gcPercent is the command's GOGC: a service left running for hours
// favours a small footprint over a few percent of CPU (the environment's
// GOGC still wins).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := httpserve.NotifyContext(os.Exit)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags, serves the provider until ctx is done and returns the exit code:
// 0 after a clean shutdown, 1 when listening or serving fails (or a health check fails), 2 for
// a usage or configuration error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	f := mockprovider.DefaultFlags()
	if v := getenv(ListenEnv); v != "" {
		f.Listen = v
	}
	fs := flag.NewFlagSet("mockprovider", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mockprovider: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if f.HealthCheck {
		return healthCheck(ctx, f.Listen, stdout, stderr)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	opts, err := f.Options()
	if err == nil {
		var p *mockprovider.Provider
		if p, err = mockprovider.New(append(opts, mockprovider.WithLogger(log))...); err == nil {
			for _, w := range f.Warnings() {
				log.Warn(w)
			}
			return serve(ctx, log, p, f, stdout)
		}
	}
	fmt.Fprintln(stderr, err)
	return 2
}
