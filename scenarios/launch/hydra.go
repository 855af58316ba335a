package launch

import (
	"context"
	"fmt"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/hydra"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// HydraOptions configure the hydra built-in target.
type HydraOptions struct {
	// Mode is auto (docker when an engine can be had, else a process),
	// docker or process.
	Mode string
	// Image overrides the image (e.g. oryd/hydra:v2.3.0 where a registry
	// can be reached); default $HYDRA_IMAGE, else one built locally.
	Image string
}

// The clients registered at Hydra: the seed's client on the loopback IP
// (so that RFC 8252 §7.3 applies) with a post-logout redirect URI, a
// second one, and one with two redirect URIs.
var hydraClients = map[string]hydra.Client{
	"primary": {ID: mockprovider.SeedClientID, Secret: mockprovider.SeedClientSecret, Name: "Seed sample client",
		RedirectURIs: []string{"http://127.0.0.1:8000/authorized"}, PostLogoutRedirectURIs: []string{"http://127.0.0.1:8000/"}},
	"secondary": {ID: "conformance-secondary", Secret: "Hq2Lw9Zx4Ns7Bv1Mc8Kd3Jf6Gt0Ry5Pe2Ua7Io4Qs9Wx1Ez3Tb", Name: "Second sample client",
		RedirectURIs: []string{"http://127.0.0.1:8001/authorized"}},
	"multi": {ID: "conformance-multi", Secret: "Pv4Nc9Bx2Mz7Lk1Jh6Gf3Ds8Ap5Oi0Uy4Tr9Ew2Qa7Zs1Xd6C", Name: "Multi-callback sample client",
		RedirectURIs: []string{"http://127.0.0.1:8002/authorized", "http://127.0.0.1:8002/callback"}},
}

// openHydra starts Hydra (hydra.Start checks the mode; empty is auto),
// registers the three clients and describes it.
func openHydra(ctx context.Context, o Options) (*Provider, error) {
	inst, err := hydra.Start(ctx, hydra.Options{Mode: runmode.Mode(o.Hydra.Mode), Image: o.Hydra.Image, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	s := &providerspec.Spec{
		Name:         "hydra",
		Mode:         "Ory Hydra " + hydra.Version + ", " + inst.Mode(),
		Issuer:       inst.PublicURL,
		AuthorizeURL: inst.AuthorizeURL,
		TokenURL:     inst.TokenURL,
		MeURL:        inst.MeURL,
		Clients:      map[string]*providerspec.Client{},
		Scopes:       providerspec.Scopes{Granted: []string{"email"}, Unknown: "not-a-scope", Refresh: "offline_access"},
		User: providerspec.User{Username: "alice", Password: "wonderland", MeField: "username",
			Claims: map[string]any{"email": "alice@example.com"}},
		Capabilities: []providerspec.Capability{providerspec.PKCE, providerspec.Refresh, providerspec.OpenID},
		// Hydra's in-memory database answers concurrent sign-ins with
		// "Unable to serialize access due to a concurrent update".
		MaxParallel: 1,
		Resource:    &providerspec.Resource{URL: strings.TrimSuffix(inst.MeURL, "/me") + "/email", Scope: "email", Without: "profile"},
	}
	s.ApplyDefaults()
	p := &Provider{Spec: s}
	p.OnClose(inst.Close)
	for _, role := range []string{"primary", "secondary", "multi"} {
		c := hydraClients[role]
		c.Scopes = []string{"openid", "email", "profile"}
		c.GrantTypes = []string{"authorization_code", "refresh_token"}
		if err := inst.CreateClient(ctx, c); err != nil {
			p.Close()
			return nil, fmt.Errorf("target: hydra: registering the %s client: %w", role, err)
		}
		s.Clients[role] = &providerspec.Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: "client_secret_basic"}
		if len(c.PostLogoutRedirectURIs) > 0 {
			s.Clients[role].PostLogoutRedirectURI = c.PostLogoutRedirectURIs[0]
		}
	}
	return p, nil
}
