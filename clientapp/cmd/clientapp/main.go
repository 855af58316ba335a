// Command clientapp runs the seed's sample OAuth2 client (client.py) at http://localhost:8000.
//
//	go run ./clientapp/cmd/clientapp                      # against the mock provider at 127.0.0.1:9000
//	PROVIDER_URL=https://internalproxy.com CLIENT_ID=... CLIENT_SECRET=... clientapp
//
// Flags override the environment; run with -h for the list.
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
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the configuration, serves the App until ctx is done and returns the exit code:
// 0 after a clean shutdown, 1 when serving fails, 2 for a usage or configuration error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg := clientapp.ConfigFromEnv(getenv)
	fs := flag.NewFlagSet("clientapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.RegisterFlags(fs)
	listen := fs.String("listen", "127.0.0.1:8000", "address to listen on")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "clientapp: unexpected arguments %q\n", fs.Args())
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = logger
	app, err := clientapp.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		logger.Error("clientapp: listen", "addr", *listen, "err", err)
		return 1
	}
	warnPortMismatch(logger, ln.Addr(), cfg.RedirectURL)
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	logger.Info("clientapp: serving", "listen", ln.Addr().String(), "provider_auth_url", cfg.AuthURL,
		"client_id", cfg.ClientID, "redirect_url", cfg.RedirectURL, "pkce", cfg.PKCE)
	fmt.Fprintf(stdout, "Open %s in your browser.\n", app.HomeURL())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		logger.Error("clientapp: serve", "err", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Error("clientapp: shutdown", "err", err)
		return 1
	}
	logger.Info("clientapp: stopped")
	return 0
}

// warnPortMismatch warns when the browser, sent back to the redirect URL, would reach another port
// than the one served here.
func warnPortMismatch(logger *slog.Logger, addr net.Addr, redirect string) {
	u, err := url.Parse(redirect)
	tcp, ok := addr.(*net.TCPAddr)
	if err != nil || !ok {
		return
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if port != fmt.Sprint(tcp.Port) {
		logger.Warn("clientapp: the redirect URL's port differs from the listen port; the provider's "+
			"callback will not reach this server unless a proxy forwards it",
			"redirect_url", redirect, "listen", addr.String())
	}
}
