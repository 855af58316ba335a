package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

// TestRunServesHTTPS: --tls serves the App over HTTPS with a certificate
// of a CA whose file it prints; a browser trusting that file gets in.
func TestRunServesHTTPS(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	caFile := filepath.Join(t.TempDir(), "ca.pem")

	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", addr, "--tls", "--tls-ca-out", caFile,
			"--redirect-url", "https://" + addr + "/authorized"}, noEnv, &stdout, &stderr)
	}()
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "CA certificate") }, 5*time.Second, 20*time.Millisecond, stderr.String())
	assert.Contains(t, stdout.String(), "Open https://"+addr+"/ in your browser.")

	pool, err := devca.CertPool(caFile)
	require.NoError(t, err)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get("https://" + addr + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	state := resp.Cookies()
	require.NotEmpty(t, state)
	assert.True(t, state[0].Secure, "an https redirect URL gives Secure cookies")

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}
