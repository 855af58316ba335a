package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// healthCheck asks the provider at listen for GET /healthz and returns 0
// when it answers 200, 1 otherwise: the command of the container image's
// HEALTHCHECK, which has no curl. An unspecified host (0.0.0.0, "") is
// asked at 127.0.0.1. A provider serving HTTPS is asked again over TLS
// without verifying its certificate: the check sends nothing secret, to
// loopback, and only wants to know that the server answers.
func healthCheck(ctx context.Context, listen string, stdout, stderr io.Writer) int {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		fmt.Fprintf(stderr, "mockprovider: --health-check: listen address %q: %v\n", listen, err)
		return 2
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	addr := net.JoinHostPort(host, port)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	// HTTPS first: a plain server answers the TLS hello with an error and
	// logs nothing, where a TLS server would log a plain request.
	status, err := getHealth(ctx, "https://"+addr+mockprovider.HealthPath, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // a liveness probe of loopback
	if err != nil {
		status, err = getHealth(ctx, "http://"+addr+mockprovider.HealthPath, nil)
	}
	if err != nil || status != http.StatusOK {
		fmt.Fprintf(stderr, "mockprovider: unhealthy at %s: status %d, %v\n", addr, status, err)
		return 1
	}
	fmt.Fprintf(stdout, "mockprovider: healthy at %s\n", addr)
	return 0
}

func getHealth(ctx context.Context, url string, tlsConfig *tls.Config) (int, error) {
	tr := &http.Transport{TLSClientConfig: tlsConfig}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
