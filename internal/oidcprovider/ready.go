package oidcprovider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// readyPoll is the readiness polling period.
const readyPoll = 25 * time.Millisecond

// discoveryPath is where OpenID Connect Discovery 1.0 §4 puts the metadata.
const discoveryPath = "/.well-known/openid-configuration"

// waitReady polls the discovery document until it answers with our issuer,
// the provider stops, ctx ends or [readyTimeout] passes, and fills
// p.Endpoints from it.
func (p *Provider) waitReady(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, readyTimeout)
		defer cancel()
	}
	client := &http.Client{Transport: &http.Transport{}, Timeout: time.Second}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(readyPoll)
	defer tick.Stop()
	var last error
	for {
		last = p.discover(ctx, client)
		if last == nil {
			return nil
		}
		if gone, why := p.server.Exited(); gone {
			return fmt.Errorf("oidcprovider: %s stopped before it was ready (%s); its log ends:\n%s", p.mode, why, p.server.LogTail(logTailLines))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("oidcprovider: %s not ready (%v): %w; its log ends:\n%s", p.mode, last, ctx.Err(), p.server.LogTail(logTailLines))
		case <-tick.C:
		}
	}
}

// discover reads the discovery document into p.Endpoints.
func (p *Provider) discover(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.Issuer+discoveryPath, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", discoveryPath, resp.Status)
	}
	var doc struct {
		Issuer string `json:"issuer"`
		Endpoints
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return fmt.Errorf("GET %s: %w", discoveryPath, err)
	}
	if doc.Issuer != p.Issuer {
		return fmt.Errorf("GET %s: issuer %q, want %q", discoveryPath, doc.Issuer, p.Issuer)
	}
	p.Endpoints = doc.Endpoints
	return nil
}
