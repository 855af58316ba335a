package target

import (
	"context"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
)

// OIDCProviderOptions configure the oidc-provider built-in target.
type OIDCProviderOptions struct {
	// Mode is auto (docker when an engine can be had, else a node
	// process), docker or process.
	Mode string
}

func openOIDCProvider(ctx context.Context, o Options) (*Target, error) {
	mode, err := oidcprovider.ParseMode(o.OIDCProvider.Mode)
	if err != nil {
		return nil, err
	}
	p, err := oidcprovider.Start(ctx, oidcprovider.Options{Mode: mode, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	sel := oidcprovider.LoginSelectors
	t := &Target{
		Name:         "oidc-provider",
		Mode:         "panva's oidc-provider " + oidcprovider.Version + ", " + p.Mode(),
		Issuer:       p.Issuer,
		AuthorizeURL: p.Endpoints.Authorization,
		TokenURL:     p.Endpoints.Token,
		MeURL:        p.MeURL,
		Clients:      map[string]*Client{},
		Scopes:       Scopes{Granted: []string{"email"}, Unknown: "not-a-scope", Refresh: "offline_access"},
		User:         User{Username: "alice", Password: "wonderland", MeField: "username"},
		Login: Login{Username: sel.Username, Password: sel.Password, Submit: sel.Submit,
			Consent: sel.Consent, Deny: sel.Deny},
		Capabilities: []Capability{PKCE, Refresh},
		Timeout:      Duration(DefaultTimeout),
		Resource:     &Resource{URL: p.EmailURL, Scope: "email", Without: "profile"},
	}
	t.OnClose(p.Close)
	for role, c := range p.Clients {
		t.Clients[role] = &Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: c.AuthMethod}
	}
	return t, nil
}
