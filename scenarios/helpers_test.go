package scenarios_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// hangingServer answers nothing until hang is closed.
func hangingServer(t *testing.T, hang chan struct{}) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
