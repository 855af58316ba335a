package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Connect attaches to a Chromium that is already running, for example a
// shared browser pool of a CI pipeline, instead of launching one. endpoint
// is the browser's DevTools WebSocket URL
// (ws://HOST:PORT/devtools/browser/ID) or its DevTools HTTP endpoint
// (http://HOST:PORT), which is resolved through /json/version.
//
// The returned Browser works like a launched one (sessions, recycling,
// Options.Prepared), but [Browser.Close] disposes of the incognito contexts
// this Browser created and disconnects: the remote browser, its other
// contexts and pages keep running. Launch-time options (Bin, Show,
// LoopbackOnly) do not apply: the remote browser keeps its own flags.
func Connect(ctx context.Context, endpoint string, o Options) (*Browser, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ws, err := ResolveDevTools(ctx, endpoint)
	if err != nil {
		return nil, err
	}
	b, err := connect(ws, o, log)
	if err != nil {
		return nil, fmt.Errorf("browser: connect to %s: %w", redactURL(ws), err)
	}
	b.remote = ws
	log.Debug("browser: connected", "devtools", redactURL(ws))
	b.refill()
	return b, nil
}

// ResolveDevTools turns a DevTools endpoint into the browser's WebSocket
// URL: a ws:// or wss:// URL is returned as it is; for http://HOST:PORT or
// https://HOST:PORT, the browser's /json/version names it (its host is
// replaced by HOST:PORT, which is how this side reaches the browser).
func ResolveDevTools(ctx context.Context, endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("browser: %q is not a DevTools endpoint such as ws://127.0.0.1:9222/devtools/browser/ID or http://127.0.0.1:9222", endpoint)
	}
	switch u.Scheme {
	case "ws", "wss":
		return u.String(), nil
	case "http", "https":
	default:
		return "", fmt.Errorf("browser: %q: the DevTools endpoint must be ws://, wss://, http:// or https://", redactURL(endpoint))
	}
	ws, err := versionWebSocket(ctx, u)
	if err != nil {
		return "", fmt.Errorf("browser: resolve %s: %w", redactURL(endpoint), err)
	}
	return ws, nil
}

// versionWebSocket asks the DevTools HTTP endpoint u for the browser's
// WebSocket URL and points it at u's host.
func versionWebSocket(ctx context.Context, u *url.URL) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	version := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/json/version"}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, version.String(), nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET /json/version: %s", resp.Status)
	}
	var v struct {
		WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&v); err != nil {
		return "", fmt.Errorf("GET /json/version: %w", err)
	}
	ws, err := url.Parse(v.WebSocketDebuggerURL)
	if err != nil || (ws.Scheme != "ws" && ws.Scheme != "wss") {
		return "", errors.New("GET /json/version: no webSocketDebuggerUrl in the answer")
	}
	ws.Host = u.Host
	if u.Scheme == "https" {
		ws.Scheme = "wss"
	}
	return ws.String(), nil
}

// disconnect ends a connected browser's part: it disposes of the contexts
// this Browser created (nothing else of the remote browser) and closes the
// DevTools connection.
func (b *Browser) disconnect() error {
	b.mu.Lock()
	tabs := make([]*tab, 0, len(b.tabs))
	for t := range b.tabs {
		tabs = append(tabs, t)
	}
	b.mu.Unlock()
	var errs []error
	for _, t := range tabs {
		if err := t.dispose(); err != nil {
			errs = append(errs, err)
		}
	}
	b.cancel()
	b.log.Debug("browser: disconnected", "devtools", redactURL(b.remote), "contexts", len(tabs))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("browser: dispose of the run's contexts: %w", err)
	}
	return nil
}

// redactURL hides a password in a DevTools URL (a pool behind a proxy may
// take credentials) before it is logged or put in an error.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
