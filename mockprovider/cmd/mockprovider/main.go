// Command mockprovider serves the deterministic mock OAuth 2.0 provider.
//
//	mockprovider [--listen 127.0.0.1:9000] [--clients F] [--users F] [--seed N|random]
//	             [--clock virtual|real] [--redirect-policy P] [--pkce optional|required|s256]
//	             [--quirks a,b] [--issuer URL] [--remote-control]
//
// The flags are [mockprovider.Flags]; run with -h for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags, serves the provider until ctx is done and returns the exit code:
// 0 after a clean shutdown, 1 when listening or serving fails, 2 for a usage or configuration
// error. The provider reads no environment variables; getenv is there for the shape every
// command of the project shares.
func run(ctx context.Context, args []string, _ func(string) string, _, stderr io.Writer) int {
	f := mockprovider.DefaultFlags()
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
	log := slog.New(slog.NewTextHandler(stderr, nil))
	opts, err := f.Options()
	if err == nil {
		var p *mockprovider.Provider
		if p, err = mockprovider.New(append(opts, mockprovider.WithLogger(log))...); err == nil {
			return serve(ctx, log, p, f)
		}
	}
	fmt.Fprintln(stderr, err)
	return 2
}

// serve listens on f.Listen and serves p until ctx is done.
func serve(ctx context.Context, log *slog.Logger, p *mockprovider.Provider, f mockprovider.Flags) int {
	ln, err := net.Listen("tcp", f.Listen)
	if err != nil {
		log.Error("mockprovider: listen", "addr", f.Listen, "err", err)
		return 1
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("mock OAuth2 provider listening", "url", "http://"+ln.Addr().String(), "seed", p.Seed(), "clock", f.Clock,
		"quirks", p.ActiveQuirks(), "client_id", p.Clients()[0].ID)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		log.Error("mockprovider: serve", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Error("mockprovider: shutdown", "err", err)
		return 1
	}
	return 0
}
