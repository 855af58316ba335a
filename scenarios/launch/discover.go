package launch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// metadata is the part of RFC 8414 §2 (and OpenID Connect Discovery 1.0
// §3) authorization server metadata the suite reads.
type metadata struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
}

// discover fills missing endpoint URLs from the issuer's metadata (RFC
// 8414 §3, then OpenID Connect Discovery).
func discover(ctx context.Context, s *providerspec.Spec) error {
	if s.Issuer == "" || (s.AuthorizeURL != "" && s.TokenURL != "" && s.MeURL != "") {
		return nil
	}
	base := strings.TrimSuffix(s.Issuer, "/")
	var lastErr error
	for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		var md metadata
		if err := getJSON(ctx, s.HTTPClient(), base+path, s.StepTimeout(), &md); err != nil {
			lastErr = err
			continue
		}
		if s.AuthorizeURL == "" {
			s.AuthorizeURL = md.AuthorizationEndpoint
		}
		if s.TokenURL == "" {
			s.TokenURL = md.TokenEndpoint
		}
		if s.MeURL == "" {
			s.MeURL = md.UserinfoEndpoint
		}
		return s.CheckDiscovered(base + path)
	}
	return &providerspec.FileError{File: s.File, Field: "issuer", Reason: fmt.Sprintf("discovery failed: %v", lastErr)}
}

// detectOpenID adds the openid capability when the issuer publishes an
// OpenID configuration that names it (OpenID Connect Discovery 1.0 §4);
// a provider without one is left as it is, and the oidc/ scenarios are
// skipped with the reason.
func detectOpenID(ctx context.Context, s *providerspec.Spec) {
	if s.Issuer == "" || s.Has(providerspec.OpenID) {
		return
	}
	var md metadata
	if err := getJSON(ctx, s.HTTPClient(), strings.TrimSuffix(s.Issuer, "/")+"/.well-known/openid-configuration", s.StepTimeout(), &md); err != nil || md.Issuer == "" {
		return
	}
	s.Capabilities = append(s.Capabilities, providerspec.OpenID)
}

func getJSON(ctx context.Context, client *http.Client, url string, timeout time.Duration, v any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
