package dockerd

import (
	"bytes"
	"context"
	"fmt"

	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// buildTailLines is how many lines of the builder's output a failed
// [BuildImage] reports.
const buildTailLines = 20

// BuildImage builds the image name on engine from contextDir/Dockerfile
// with Docker's classic builder, so that nothing is pulled for a scratch
// image. A failed build's error ends with the last lines of the builder's
// output.
func BuildImage(ctx context.Context, engine *Engine, name, contextDir string) error {
	var out bytes.Buffer
	err := engine.Pool.Client.BuildImage(dc.BuildImageOptions{
		Name:                name,
		Dockerfile:          "Dockerfile",
		ContextDir:          contextDir,
		Version:             "1", // the classic builder: BuildKit is not needed here
		RmTmpContainer:      true,
		ForceRmTmpContainer: true,
		OutputStream:        &out,
		Context:             ctx,
	})
	if err != nil {
		return fmt.Errorf("building image %s on %s: %w\n%s", name, engine.Endpoint, err, textcut.LastLines(out.String(), buildTailLines))
	}
	return nil
}
