package main

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// syncBuffer is a writer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.WriteString(string(p))
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// started runs the command until the test ends and waits until it
// printed its URL; it returns that stdout.
func started(t *testing.T, args []string, getenv func(string) string) *syncBuffer {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, getenv, stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, 0, code, stderr.String())
		case <-time.After(15 * time.Second):
			t.Error("run did not return after cancel")
		}
	})
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "repeat this run") }, 10*time.Second, 20*time.Millisecond, stderr.String())
	return stdout
}

func TestHealthCheck(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	var out, errOut strings.Builder
	assert.Equal(t, 1, run(t.Context(), []string{"--health-check", "--listen", addr}, noEnv, &out, &errOut), "nothing listens yet")
	assert.Contains(t, errOut.String(), "unhealthy")

	started(t, []string{"--listen", addr}, noEnv)
	out.Reset()
	assert.Equal(t, 0, run(t.Context(), []string{"--health-check"}, func(k string) string {
		if k == ListenEnv {
			return addr
		}
		return ""
	}, &out, &errOut), "the address from MOCKPROVIDER_LISTEN")
	assert.Contains(t, out.String(), "healthy at "+addr)
}

// TestTLS serves HTTPS with a certificate made at start, prints where its
// CA certificate is, and a client trusting that file gets through.
func TestTLS(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	stdout := started(t, []string{"--listen", addr, "--tls", "--tls-ca-out", caFile}, noEnv)
	assert.Contains(t, stdout.String(), "mockprovider: https://"+addr)
	assert.Contains(t, stdout.String(), "CA certificate "+caFile)

	pool, err := devca.CertPool(caFile)
	require.NoError(t, err)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("https://" + addr + "/.well-known/oauth-authorization-server")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"issuer":"https://`+addr+`"`)

	var out, errOut strings.Builder
	assert.Equal(t, 0, run(t.Context(), []string{"--health-check", "--listen", addr}, noEnv, &out, &errOut), errOut.String())
}

func TestTLSFlagErrors(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	code := run(t.Context(), []string{"--listen", freeAddr(t), "--tls-cert", "cert.pem"}, noEnv, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), "both the certificate and the key")
}

// TestStateFlag: a client registered through the control API is there
// after a restart with the same --state.
func TestStateFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	func() {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan int, 1)
		stdout := &syncBuffer{}
		go func() { done <- run(ctx, []string{"--listen", addr, "--state", dir}, noEnv, stdout, io.Discard) }()
		require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "repeat this run") }, 10*time.Second, 20*time.Millisecond)
		resp, err := http.Post("http://"+addr+"/_mock/clients", "application/json",
			strings.NewReader(`{"name":"Kept","redirect_uris":["http://localhost:9200/cb"]}`))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusCreated, resp.StatusCode)
		cancel()
		require.Equal(t, 0, <-done)
	}()
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`"name": "Kept"`), string(data))

	started(t, []string{"--listen", addr, "--state", dir}, noEnv)
	resp, err := http.Get("http://" + addr + "/_mock/clients")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"name":"Kept"`)
}
