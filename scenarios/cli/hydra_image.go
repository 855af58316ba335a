package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/hydra"
)

func cmdHydraImage(ctx context.Context, stdout, stderr io.Writer) int {
	logger := newLogger(stderr)
	started := time.Now()
	bin, err := hydra.EnsureBinary(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "hydra %s binary: %s (%.1fs)\n", hydra.Version, bin, time.Since(started).Seconds())
	started = time.Now()
	engine, err := dockerd.Ensure(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer engine.Close()
	fmt.Fprintf(stdout, "docker engine: %s (%.1fs)\n", engine.Endpoint, time.Since(started).Seconds())
	started = time.Now()
	if err := hydra.BuildImage(ctx, engine, bin); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "image %s built (%.1fs)\n", hydra.LocalImage, time.Since(started).Seconds())
	if engine.Private() {
		fmt.Fprintln(stdout, "the engine was a private dockerd, stopped now: every run builds the image again from the cached binary (about 2 s)")
	}
	return ExitOK
}
