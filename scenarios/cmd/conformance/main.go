// Command conformance runs the OAuth 2.0 conformance suite against the
// embedded mock, Ory Hydra, panva's oidc-provider or any provider described
// by a target file.
//
//	conformance run [--target mock|hydra|oidc-provider|FILE] [--only GLOB] [--junit F] [--json F] [--html DIR]
//	conformance list
//	conformance explain-redirect REGISTERED PRESENTED
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
