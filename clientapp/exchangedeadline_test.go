package clientapp_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/oauth2"
)

// TestExchangeHasOneDeadline: with AuthStyle auto-detection x/oauth2 sends
// the token request a second time when the first fails; a token endpoint
// that never answers must not get that second try (issue 9: a callback
// took 20 s, twice the client's 10 s timeout).
func TestExchangeHasOneDeadline(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(release)
	srv := newProvider(t)
	cfg := testConfig(srv)
	cfg.TokenURL = hanging.URL + "/oauth/token"
	cfg.AuthStyle = oauth2.AuthStyleAutoDetect
	cfg.HTTPClient = &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{}}
	app := newApp(t, cfg)

	resp := signIn(t, app, srv)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, int32(1), hits.Load(), "the auth-style probe did not try again past the deadline")
}
