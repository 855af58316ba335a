package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

func TestRunRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "-redirect-policy"},
		{"unknown flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"extra argument", []string{"serve"}, 2, "unexpected arguments"},
		{"bad clock", []string{"--clock", "fast"}, 2, "--clock must be virtual or real"},
		{"bad seed", []string{"--seed", "-1"}, 2, "--seed must be"},
		{"unknown quirk", []string{"--quirks", "code-reusable,nope"}, 2, "known quirks"},
		{"unknown policy", []string{"--redirect-policy", "fuzzy"}, 2, "unknown redirect policy"},
		{"unknown PKCE policy", []string{"--pkce", "always"}, 2, "unknown PKCE policy"},
		{"relative issuer", []string{"--issuer", "/x"}, 2, "issuer"},
		{"missing clients file", []string{"--clients", "testdata/none.yaml"}, 2, "none.yaml"},
		{"bad clients file", []string{"--clients", "../../testdata/bad/clients-missing-secret.yaml"}, 2, "clients-missing-secret.yaml:3: "},
		{"tab in clients file", []string{"--clients", "../../testdata/bad/clients-tab.yaml"}, 2, "clients-tab.yaml:3: "},
		{"bad users file", []string{"--users", "../../testdata/bad/users-duplicate.yaml"}, 2, "users-duplicate.yaml:3: "},
		{"missing signing key", []string{"--signing-key", "testdata/none.pem"}, 2, "signing key: open testdata/none.pem"},
		{"signing key not PEM", []string{"--signing-key", "../../testdata/bad/users-empty.yaml"}, 2, "no PEM block"},
		{"bad listen address", []string{"--listen", "127.0.0.1:99999"}, 1, "mockprovider: listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			assert.Equal(t, tt.code, run(t.Context(), tt.args, noEnv, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.want)
			assert.Empty(t, stdout.String())
		})
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr strings.Builder
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"--listen", addr, "--seed", "random"}, noEnv, &stdout, &stderr) }()

	var res *http.Response
	require.Eventually(t, func() bool {
		res, err = http.Get("http://" + addr + "/.well-known/oauth-authorization-server")
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	// Read only now that run has returned: nothing writes to stderr any more.
	log := stderr.String()
	assert.Contains(t, log, "mock OAuth2 provider listening")
	assert.NotContains(t, log, "seed=1 ", "a random seed is logged as its number")
	assert.Contains(t, log, "shutting down")
}
