package httpserve_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpserve"
)

var quiet = slog.New(slog.DiscardHandler)

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

func TestNewServerSetsEveryTimeout(t *testing.T) {
	srv := httpserve.NewServer(http.NotFoundHandler(), quiet)
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.WriteTimeout)
	assert.Positive(t, srv.IdleTimeout)
	assert.Equal(t, httpserve.MaxHeaderBytes, srv.MaxHeaderBytes)
}

// TestShutdownDrainsInFlightRequests: a request under way when the
// service is told to stop still gets its answer, and Run returns nil.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	srv := httpserve.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	}), quiet)
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpserve.Run(ctx, srv, ln, quiet) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	assert.Equal(t, "finished", <-got)
	assert.NoError(t, <-done)
	_, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	assert.Error(t, err, "no longer listening")
}

// TestGraceExpiryStillStopsCleanly: a request that outlives the grace
// period has its connection closed, and Run still returns nil.
func TestGraceExpiryStillStopsCleanly(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	srv := httpserve.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	}), quiet)
	defer close(release)
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpserve.RunWithGrace(ctx, srv, ln, quiet, 100*time.Millisecond) }()
	go http.Get("http://" + ln.Addr().String())
	<-started
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the grace period")
	}
}

// TestSlowAndIdleConnectionsAreClosed: a keep-alive connection that sends
// nothing, and one that dribbles its body, do not live forever (before
// issue 9 both did).
func TestSlowAndIdleConnectionsAreClosed(t *testing.T) {
	srv := httpserve.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}), quiet)
	srv.ReadHeaderTimeout = 200 * time.Millisecond
	srv.ReadTimeout = 300 * time.Millisecond
	srv.IdleTimeout = 200 * time.Millisecond
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go httpserve.Run(ctx, srv, ln, quiet)
	for name, send := range map[string]string{
		"idle after a request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"silent":               "",
		"dribbled body":        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			io.WriteString(conn, send)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = io.ReadAll(conn)
			assert.NoError(t, err, "the server closes the connection (EOF) well before 5 s")
		})
	}
}

func TestNotifyContextSecondSignalExits(t *testing.T) {
	exited := make(chan int, 1)
	ctx, stop := httpserve.NotifyContext(func(code int) { exited <- code })
	defer stop()
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGHUP))
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGHUP))
	select {
	case code := <-exited:
		assert.Equal(t, 128+int(syscall.SIGHUP), code)
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
}
