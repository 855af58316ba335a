package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpserve"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// serve listens on f.Listen and serves p until ctx is done, over HTTPS
// when f asks for it. It prints the URL, the seed and the CA file to
// stdout: what a user needs to reach, reproduce and trust the run.
func serve(ctx context.Context, log *slog.Logger, p *mockprovider.Provider, f mockprovider.Flags, stdout io.Writer) int {
	ln, err := net.Listen("tcp", f.Listen)
	if err != nil {
		log.Error("mockprovider: listen", "addr", f.Listen, "err", err)
		return 1
	}
	tlsConfig, caFile, err := devca.ServerOptions{
		Generate: f.TLS, CertFile: f.TLSCert, KeyFile: f.TLSKey,
		Listen: ln.Addr().String(), URLs: []string{f.Issuer}, CAOut: caOut(f, ln.Addr()),
		Name: "mockprovider development CA",
	}.Config()
	if err != nil {
		ln.Close()
		log.Error("mockprovider: TLS", "err", err)
		return 2
	}
	srv := httpserve.NewServer(p, log)
	srv.TLSConfig = tlsConfig
	base := "http://" + ln.Addr().String()
	if tlsConfig != nil {
		base = "https://" + ln.Addr().String()
	}
	log.Info("mock OAuth2 provider listening", "url", base, "seed", p.Seed(), "clock", f.Clock,
		"quirks", p.ActiveQuirks(), "client_id", p.Clients()[0].ID, "state", f.StateDir)
	fmt.Fprintf(stdout, "mockprovider: %s (seed %d: repeat this run with --seed %d)\n", base, p.Seed(), p.Seed())
	if caFile != "" {
		fmt.Fprintf(stdout, "mockprovider: CA certificate %s (trust it: curl --cacert %s, clientapp --provider-ca %s)\n", caFile, caFile, caFile)
	}
	if err := httpserve.Run(ctx, srv, ln, log); err != nil {
		log.Error("mockprovider: serve", "err", err)
		return 1
	}
	return 0
}

// caOut is where --tls writes its CA certificate: --tls-ca-out, else the
// state directory, else the temporary directory (named by the port, so
// that two providers do not overwrite each other's).
func caOut(f mockprovider.Flags, addr net.Addr) string {
	switch {
	case f.TLSCAOut != "":
		return f.TLSCAOut
	case f.StateDir != "":
		return filepath.Join(f.StateDir, "ca.pem")
	}
	port := addr.String()[strings.LastIndex(addr.String(), ":")+1:]
	return filepath.Join(os.TempDir(), "mockprovider-ca-"+port+".pem")
}
