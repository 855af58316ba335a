package oidcprovider_test

import (
	"errors"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// BenchmarkStart measures the time to ready of each mode: from the start
// of the node process or the container (the image already built) to the
// first answer of the discovery document, reported as ready-ms.
func BenchmarkStart(b *testing.B) {
	for _, mode := range []runmode.Mode{runmode.Process, runmode.Docker} {
		b.Run(string(mode), func(b *testing.B) {
			opts := oidcprovider.Options{Mode: mode}
			if mode == runmode.Docker {
				engine, err := dockerd.Ensure(b.Context(), nil)
				if errors.Is(err, dockerd.ErrNoEngine) {
					b.Skipf("docker mode needs an engine: %v", err)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { engine.Close() })
				opts.Engine = engine
				warm, err := oidcprovider.Start(b.Context(), opts) // builds the image once
				if err != nil {
					b.Fatal(err)
				}
				warm.Close()
			}
			var total float64
			for b.Loop() {
				p, err := oidcprovider.Start(b.Context(), opts)
				if err != nil {
					b.Fatal(err)
				}
				total += float64(p.Started.Milliseconds())
				if err := p.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(total/float64(b.N), "ready-ms")
		})
	}
}
