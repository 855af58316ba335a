package clientapp_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestTokenEndpointRedirectIsNotFollowed is the attack of issue 9: a token
// endpoint that answers 307 would have the client re-send the code, the
// PKCE verifier and (on the same host) its Basic credentials to wherever
// the redirect points.
func TestTokenEndpointRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			var reached atomic.Int32
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"access_token":"stolen","token_type":"Bearer"}`))
			}))
			defer elsewhere.Close()
			srv := newProvider(t)
			cfg := testConfig(srv)
			cfg.AuthStyle = oauth2.AuthStyleInHeader
			app := newApp(t, cfg)
			srv.QueueResponse(mockprovider.PathToken, mockprovider.Response{Status: status,
				Header: http.Header{"Location": {elsewhere.URL + "/collect"}}, Body: "moved"})

			resp := signIn(t, app, srv)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			assert.Contains(t, body(t, resp), "token endpoint failure")
			assert.Zero(t, reached.Load(), "the redirect was followed")
			assert.Len(t, tokenRequests(srv), 1)
		})
	}
}
