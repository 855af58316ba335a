package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/mockimage"
)

// cmdMockImage builds the mock provider's image on the engine and, with
// --save, writes it as a `docker load` archive: a private engine's images
// go with it when it stops.
func cmdMockImage(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance mock-image", flag.ContinueOnError)
	fs.SetOutput(stderr)
	save := fs.String("save", "", "also write the image to this file, for docker load")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "conformance mock-image: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	logger := newLogger(stderr)
	started := time.Now()
	engine, err := dockerd.Ensure(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer engine.Close()
	fmt.Fprintf(stdout, "docker engine: %s (%.1fs)\n", engine.Endpoint, time.Since(started).Seconds())
	started = time.Now()
	if err := mockimage.Build(ctx, engine); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	size, _ := mockimage.Size(engine)
	fmt.Fprintf(stdout, "image %s built, %.1f MB (%.1fs)\n", mockimage.Image, float64(size)/(1<<20), time.Since(started).Seconds())
	if *save != "" {
		if err := saveImage(ctx, engine, *save); err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintf(stdout, "saved to %s: docker load -i %s\n", *save, *save)
	}
	if engine.Private() {
		fmt.Fprintln(stdout, "the engine was a private dockerd, stopped now with its images: load the saved file into yours")
	}
	return ExitOK
}

func saveImage(ctx context.Context, engine *dockerd.Engine, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = engine.Pool.Client.ExportImage(dc.ExportImageOptions{Name: mockimage.Image, OutputStream: f, Context: ctx})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("saving %s: %w", mockimage.Image, err)
	}
	return nil
}
