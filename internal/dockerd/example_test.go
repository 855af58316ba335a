package dockerd_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// A command-line program stops the private engine on Ctrl-C as well as on
// return: Close is idempotent and may run in the signal handler's goroutine.
func ExampleEnsure() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	eng, err := dockerd.Ensure(ctx, slog.Default())
	if err != nil {
		fmt.Println("skipped:", err) // errors.Is(err, dockerd.ErrNoEngine) when none can be had
		return
	}
	defer eng.Close()
	go func() {
		<-ctx.Done()
		eng.Close()
	}()

	fmt.Println("Docker engine at", eng.Endpoint)
}
