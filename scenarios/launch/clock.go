package launch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// mockClock moves the embedded mock's clock.
type mockClock struct{ srv *mockprovider.Server }

var (
	_ providerspec.ClockController = mockClock{}
	_ providerspec.ClockController = controlClock{}
)

func (c mockClock) Advance(_ context.Context, d time.Duration) error {
	return c.srv.Provider.Advance(d)
}

// controlClock moves a separately running mockprovider's clock through
// its control API; client nil means http.DefaultClient.
type controlClock struct {
	url    string
	client *http.Client
}

func (c controlClock) Advance(ctx context.Context, d time.Duration) error {
	body, _ := json.Marshal(map[string]string{"advance": d.String()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	client := c.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("target: clock_url: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("target: clock_url answered %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
