// Package httpserve runs an http.Handler as a service that can be left
// running: every connection timeout set, bounded request headers,
// optional TLS, and a graceful shutdown on SIGTERM, SIGINT or SIGHUP that
// drains in-flight requests within a grace period (a second signal ends
// the process at once). The mockprovider and clientapp commands use it.
//
//	ctx, stop := httpserve.NotifyContext(os.Exit)
//	defer stop()
//	err := httpserve.Run(ctx, httpserve.NewServer(handler, logger), ln, logger)
package httpserve

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Limits of every connection. A slow or idle client holds a connection for
// at most these; the write timeout bounds a whole response.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 90 * time.Second
	// MaxHeaderBytes bounds the request line and headers (a 500 KB query
	// gets 431 Request Header Fields Too Large).
	MaxHeaderBytes = 64 << 10
	// ShutdownGrace is how long in-flight requests may take to finish
	// after the first signal.
	ShutdownGrace = 10 * time.Second
)

// NewServer returns a server for h with the package's limits; its
// internal errors (TLS handshakes, bad requests) go to logger.
func NewServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// Run serves srv on ln (with TLS when srv.TLSConfig is set) until ctx is
// done, then shuts it down: new connections are refused, idle ones
// closed, and in-flight requests get [ShutdownGrace] to finish before
// their connections are closed. It returns nil after a shutdown, or the
// error that stopped serving.
func Run(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	return RunWithGrace(ctx, srv, ln, logger, ShutdownGrace)
}

// RunWithGrace is [Run] with another grace period.
func RunWithGrace(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger, grace time.Duration) error {
	served := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
		} else {
			served <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests", "grace", grace.String())
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		logger.Warn("grace period over: closing the connections still open", "err", err)
		srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// Signals are the signals that stop a service.
var Signals = []os.Signal{syscall.SIGTERM, os.Interrupt, syscall.SIGHUP}

// NotifyContext returns a context canceled by the first of [Signals]; a
// second signal calls exit with 128 plus its number (130 for SIGINT,
// 143 for SIGTERM) without waiting for the drain. stop stops listening.
func NotifyContext(exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, Signals...)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			exit(128 + signalNumber(s))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

func signalNumber(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return int(n)
	}
	return 1
}
