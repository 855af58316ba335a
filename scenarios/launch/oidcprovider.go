package launch

import (
	"context"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// OIDCProviderOptions configure the oidc-provider built-in target.
type OIDCProviderOptions struct {
	// Mode is auto (docker when an engine can be had, else a node
	// process), docker or process.
	Mode string
}

// openOIDCProvider starts panva's oidc-provider (see
// [oidcprovider.Start]) and describes it: an OpenID Provider with its
// development interaction pages, the seed's resources served beside it,
// offline_access for refresh tokens, and no clock control.
func openOIDCProvider(ctx context.Context, o Options) (*Provider, error) {
	inst, err := oidcprovider.Start(ctx, oidcprovider.Options{Mode: runmode.Mode(o.OIDCProvider.Mode), Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	sel := oidcprovider.LoginSelectors
	s := &providerspec.Spec{
		Name:         "oidc-provider",
		Mode:         "panva's oidc-provider " + oidcprovider.Version + ", " + inst.Mode(),
		Issuer:       inst.Issuer,
		AuthorizeURL: inst.Endpoints.Authorization,
		TokenURL:     inst.Endpoints.Token,
		MeURL:        inst.MeURL,
		Clients:      map[string]*providerspec.Client{},
		Scopes:       providerspec.Scopes{Granted: []string{"email"}, Unknown: "not-a-scope", Refresh: "offline_access"},
		User: providerspec.User{Username: "alice", Password: "wonderland", MeField: "username",
			Claims: map[string]any{"email": "alice@example.com", "email_verified": true}},
		Login: providerspec.Login{Username: sel.Username, Password: sel.Password, Submit: sel.Submit,
			Consent: sel.Consent, Deny: sel.Deny, LogoutConfirm: sel.LogoutConfirm},
		Capabilities: []providerspec.Capability{providerspec.PKCE, providerspec.Refresh, providerspec.OpenID},
		Resource:     &providerspec.Resource{URL: inst.EmailURL, Scope: "email", Without: "profile"},
	}
	for role, c := range inst.Clients {
		s.Clients[role] = &providerspec.Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: c.AuthMethod}
		if len(c.PostLogoutRedirectURIs) > 0 {
			s.Clients[role].PostLogoutRedirectURI = c.PostLogoutRedirectURIs[0]
		}
	}
	s.ApplyDefaults()
	p := &Provider{Spec: s}
	p.OnClose(inst.Close)
	return p, nil
}
