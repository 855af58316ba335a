package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe to write from the server while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func noEnv(string) string { return "" }

func TestRunUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantErr  string
	}{
		{"help", []string{"-h"}, nil, 0, "-provider-url"},
		{"unknown flag", []string{"--nope"}, nil, 2, "flag provided but not defined"},
		{"bad auth style", []string{"--auth-style", "digest"}, nil, 2, `auth style "digest"`},
		{"extra argument", []string{"serve"}, nil, 2, "unexpected arguments"},
		{"invalid config", []string{"--redirect-url", "/authorized"}, nil, 2, "RedirectURL"},
		{"invalid env", nil, map[string]string{"PKCE": "maybe"}, 2, `PKCE="maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr syncBuffer
			code := run(t.Context(), tc.args, func(k string) string { return tc.env[k] }, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code)
			assert.Contains(t, stderr.String(), tc.wantErr)
		})
	}
}

func TestRunListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var stdout, stderr syncBuffer
	code := run(t.Context(), []string{"--listen", ln.Addr().String()}, noEnv, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "address already in use")
}

func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"--listen", addr}, noEnv, &stdout, &stderr) }()

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = client.Get("http://" + addr + "/")
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), "http://127.0.0.1:9000/oauth/authorize?"))
	assert.Equal(t, "Open http://localhost:8000/ in your browser.\n", stdout.String())
	assert.Contains(t, stderr.String(), "differs from the listen port", "the random port is not the redirect URL's 8000")

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	assert.Contains(t, stderr.String(), "clientapp: stopped")
}
