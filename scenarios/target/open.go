package target

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// Options configure [Open].
type Options struct {
	// Mock are extra options for the embedded mock (quirks, policies).
	Mock []mockprovider.Option
	// Hydra configures the hydra built-in target.
	Hydra HydraOptions
	// OIDCProvider configures the oidc-provider built-in target.
	OIDCProvider OIDCProviderOptions
	// Logger receives progress messages (silent when nil).
	Logger *slog.Logger
}

// Open starts or describes the target named by spec: "mock" (the
// embedded mock provider, the default), "hydra" (Ory Hydra in a container,
// or as a local process without a Docker engine), "oidc-provider" (panva's
// oidc-provider, likewise), or the path of a target file. The caller must Close the target.
func Open(ctx context.Context, spec string, o Options) (*Target, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch spec {
	case "", "mock":
		return OpenMock(o.Mock...)
	case "hydra":
		return openHydra(ctx, o)
	case "oidc-provider":
		return openOIDCProvider(ctx, o)
	}
	t, err := Load(spec)
	if err != nil {
		return nil, err
	}
	t.Mode = "target file " + spec
	if err := t.discover(ctx); err != nil {
		return nil, err
	}
	if t.ClockURL != "" {
		t.Clock = controlClock{url: t.ClockURL}
	}
	return t, nil
}

// OpenMock starts the embedded mock provider on a loopback port and
// describes it as a target.
func OpenMock(opts ...mockprovider.Option) (*Target, error) {
	if _, err := mockprovider.New(opts...); err != nil {
		return nil, err
	}
	srv := mockprovider.NewServer(opts...)
	t, err := MockTarget(srv)
	if err != nil {
		srv.Close()
		return nil, err
	}
	t.OnClose(func() error { srv.Close(); return nil })
	return t, nil
}

// MockTarget describes a running mock server as a target; closing the
// target does not close the server.
func MockTarget(srv *mockprovider.Server) (*Target, error) {
	clients := srv.Clients()
	users := srv.Users()
	if len(clients) == 0 || len(users) == 0 {
		return nil, fmt.Errorf("target: the mock has no client or no user")
	}
	toClient := func(c mockprovider.Client) *Client {
		return &Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: "client_secret_basic"}
	}
	granted := clients[0].DefaultScopes
	if len(granted) == 0 {
		granted = clients[0].Scopes
	}
	t := &Target{
		Name:         "mock",
		Mode:         "embedded mock provider",
		Issuer:       srv.URL,
		AuthorizeURL: srv.URL + "/oauth/authorize",
		TokenURL:     srv.URL + "/oauth/token",
		MeURL:        srv.URL + "/oauth/api/me",
		Clients:      map[string]*Client{"primary": toClient(clients[0])},
		Scopes:       Scopes{Granted: granted, Unknown: "not-a-scope"},
		User:         User{Username: users[0].Username, Password: users[0].Password, MeField: "username"},
		Login:        DefaultLogin,
		Capabilities: []Capability{PKCE, Refresh, Clock},
		Timeout:      Duration(DefaultTimeout),
		Clock:        mockClock{srv},
		Resource:     &Resource{URL: srv.URL + "/oauth/api/email", Scope: "email", Without: "profile"},
	}
	for _, c := range clients[1:] {
		switch {
		case c.Public:
		case len(c.RedirectURIs) > 1 && t.Clients["multi"] == nil:
			t.Clients["multi"] = toClient(c)
		case len(c.RedirectURIs) == 1 && t.Clients["secondary"] == nil:
			t.Clients["secondary"] = toClient(c)
		}
	}
	return t, nil
}

type mockClock struct{ srv *mockprovider.Server }

func (c mockClock) Advance(_ context.Context, d time.Duration) error {
	return c.srv.Provider.Advance(d)
}

// controlClock moves a separately running mockprovider's clock through
// its control API.
type controlClock struct{ url string }

func (c controlClock) Advance(ctx context.Context, d time.Duration) error {
	body, _ := json.Marshal(map[string]string{"advance": d.String()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
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

// discover fills missing endpoint URLs from the issuer's metadata (RFC
// 8414, then OpenID Connect Discovery).
func (t *Target) discover(ctx context.Context) error {
	if t.Issuer == "" || (t.AuthorizeURL != "" && t.TokenURL != "" && t.MeURL != "") {
		return nil
	}
	base := strings.TrimSuffix(t.Issuer, "/")
	var lastErr error
	for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		var md struct {
			Issuer                string `json:"issuer"`
			AuthorizationEndpoint string `json:"authorization_endpoint"`
			TokenEndpoint         string `json:"token_endpoint"`
			UserinfoEndpoint      string `json:"userinfo_endpoint"`
		}
		if err := getJSON(ctx, base+path, t.StepTimeout(), &md); err != nil {
			lastErr = err
			continue
		}
		if t.AuthorizeURL == "" {
			t.AuthorizeURL = md.AuthorizationEndpoint
		}
		if t.TokenURL == "" {
			t.TokenURL = md.TokenEndpoint
		}
		if t.MeURL == "" {
			t.MeURL = md.UserinfoEndpoint
		}
		for _, f := range []struct{ name, v string }{{"authorize_url", t.AuthorizeURL}, {"token_url", t.TokenURL}, {"me_url", t.MeURL}} {
			if err := checkURL(f.v); err != nil {
				return &FileError{File: t.File, Field: f.name, Reason: fmt.Sprintf("not in the file and not found by discovery at %s%s", base, path)}
			}
		}
		return nil
	}
	return &FileError{File: t.File, Field: "issuer", Reason: fmt.Sprintf("discovery failed: %v", lastErr)}
}

func getJSON(ctx context.Context, url string, timeout time.Duration, v any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
