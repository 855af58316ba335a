// Command mockprovider serves the deterministic mock OAuth 2.0 provider.
//
//	mockprovider [--listen 127.0.0.1:9000] [--clients F] [--users F] [--seed N|random]
//	             [--clock virtual|real] [--redirect-policy P] [--pkce optional|required|s256]
//	             [--quirks a,b] [--remote-control]
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mockprovider", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:9000", "address to listen on")
	clients := fs.String("clients", "", "clients fixture file (default: the built-in clients of testdata/clients.yaml)")
	users := fs.String("users", "", "users fixture file (default: the built-in users of testdata/users.yaml)")
	seed := fs.String("seed", strconv.FormatUint(mockprovider.DefaultSeed, 10), "seed of codes, tokens, ids and secrets, or \"random\"")
	clock := fs.String("clock", "virtual", "virtual (moves only through POST /_mock/clock) or real")
	policy := fs.String("redirect-policy", string(mockprovider.PolicyExact), "redirect URI matching policy for clients without their own")
	pkce := fs.String("pkce", string(mockprovider.PKCEOptional), "PKCE policy: optional, required or s256")
	quirks := fs.String("quirks", "", "comma-separated quirks to switch on (see GET /_mock/quirks)")
	issuer := fs.String("issuer", "", "issuer / external base URL (default: from each request's Host)")
	remote := fs.Bool("remote-control", false, "serve the /_mock control API to non-loopback clients too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	opts := []mockprovider.Option{mockprovider.WithLogger(log)}
	if *issuer != "" {
		opts = append(opts, mockprovider.WithIssuer(*issuer))
	}
	if *clients != "" {
		cs, err := mockprovider.LoadClients(*clients)
		if err != nil {
			return err
		}
		opts = append(opts, mockprovider.WithClients(cs...))
	}
	if *users != "" {
		us, err := mockprovider.LoadUsers(*users)
		if err != nil {
			return err
		}
		opts = append(opts, mockprovider.WithUsers(us...))
	}
	n, err := parseSeed(*seed)
	if err != nil {
		return err
	}
	opts = append(opts, mockprovider.WithSeed(n))
	switch *clock {
	case "virtual":
	case "real":
		opts = append(opts, mockprovider.WithRealClock())
	default:
		return fmt.Errorf("mockprovider: --clock must be virtual or real, not %q", *clock)
	}
	qs, err := mockprovider.ParseQuirks(*quirks)
	if err != nil {
		return err
	}
	opts = append(opts, mockprovider.WithQuirks(qs...), mockprovider.WithRedirectPolicy(mockprovider.RedirectPolicy(*policy)),
		mockprovider.WithPKCE(mockprovider.PKCEPolicy(*pkce)))
	if *remote {
		opts = append(opts, mockprovider.WithRemoteControl())
	}
	p, err := mockprovider.New(opts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("mockprovider: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	log.Info("mock OAuth2 provider listening", "url", base, "seed", n, "clock", *clock, "quirks", qs,
		"client_id", p.Clients()[0].ID)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func parseSeed(s string) (uint64, error) {
	if s == "random" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, err
		}
		return binary.BigEndian.Uint64(b[:]), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("mockprovider: --seed must be a non-negative integer or \"random\", not %q", s)
	}
	return n, nil
}
