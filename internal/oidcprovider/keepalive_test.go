package oidcprovider_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// TestIdleConnectionOutlivesNodeDefault: the program keeps an idle
// keep-alive connection open past Node's default 5 s, so a client that
// reuses it (Go's transports keep idle connections 90 s or more) never
// has a POST reset by a close racing it. It was seen as "connection reset
// by peer" on a token request in a catalog run.
func TestIdleConnectionOutlivesNodeDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits 8 s on an idle connection")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	p, err := oidcprovider.Start(ctx, oidcprovider.Options{Mode: runmode.Process})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	u, err := url.Parse(p.Issuer)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	r := bufio.NewReader(conn)
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, p.Issuer+"/.well-known/openid-configuration", nil)
		if err := req.Write(conn); err != nil {
			return nil, err
		}
		resp, err := http.ReadResponse(r, req)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	resp, err := get()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	time.Sleep(8 * time.Second)
	resp, err = get()
	require.NoError(t, err, "the idle connection was closed after Node's default keep-alive timeout")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
