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
	"net/url"
	"os"
	"path/filepath"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpserve"
)

func main() {
	ctx, stop := httpserve.NotifyContext(os.Exit)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// listenFlags are the command's own flags: where and how it listens.
type listenFlags struct {
	listen                    string
	tls                       bool
	tlsCert, tlsKey, tlsCAOut string
}

func (l *listenFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.listen, "listen", "127.0.0.1:8000", "address to listen on")
	fs.BoolVar(&l.tls, "tls", false, "serve HTTPS with a certificate made at start for the listen host (use an https --redirect-url)")
	fs.StringVar(&l.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate chain (with --tls-key)")
	fs.StringVar(&l.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fs.StringVar(&l.tlsCAOut, "tls-ca-out", "", "where --tls writes its CA certificate (default: in the temporary directory)")
}

// run parses the configuration, serves the App until ctx is done and returns the exit code:
// 0 after a clean shutdown (SIGTERM, SIGINT or SIGHUP drain the requests under way; a second
// signal exits at once), 1 when serving fails, 2 for a usage or configuration error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg := clientapp.ConfigFromEnv(getenv)
	fs := flag.NewFlagSet("clientapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.RegisterFlags(fs)
	var lf listenFlags
	lf.register(fs)
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
	return serve(ctx, logger, app, cfg, lf, stdout)
}

// serve listens as lf says and serves app until ctx is done.
func serve(ctx context.Context, logger *slog.Logger, app *clientapp.App, cfg clientapp.Config, lf listenFlags, stdout io.Writer) int {
	ln, err := net.Listen("tcp", lf.listen)
	if err != nil {
		logger.Error("clientapp: listen", "addr", lf.listen, "err", err)
		return 1
	}
	caOut := lf.tlsCAOut
	if caOut == "" {
		caOut = filepath.Join(os.TempDir(), "clientapp-ca-"+fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)+".pem")
	}
	tlsConfig, caFile, err := devca.ServerOptions{Generate: lf.tls, CertFile: lf.tlsCert, KeyFile: lf.tlsKey,
		Listen: ln.Addr().String(), URLs: []string{cfg.RedirectURL}, CAOut: caOut, Name: "clientapp development CA"}.Config()
	if err != nil {
		ln.Close()
		logger.Error("clientapp: TLS", "err", err)
		return 2
	}
	warnPortMismatch(logger, ln.Addr(), cfg.RedirectURL)
	srv := httpserve.NewServer(app, logger)
	srv.TLSConfig = tlsConfig
	logger.Info("clientapp: serving", "listen", ln.Addr().String(), "tls", tlsConfig != nil, "provider_auth_url", cfg.AuthURL,
		"client_id", cfg.ClientID, "redirect_url", cfg.RedirectURL, "pkce", cfg.PKCE)
	fmt.Fprintf(stdout, "Open %s in your browser.\n", app.HomeURL())
	if caFile != "" {
		fmt.Fprintf(stdout, "clientapp: CA certificate %s (import it in the browser to trust this HTTPS)\n", caFile)
	}
	if err := httpserve.Run(ctx, srv, ln, logger); err != nil {
		logger.Error("clientapp: serve", "err", err)
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
