package launch

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// OpenMock starts the embedded mock provider on a loopback port and
// describes it.
func OpenMock(opts ...mockprovider.Option) (*Provider, error) {
	if _, err := mockprovider.New(opts...); err != nil {
		return nil, err
	}
	srv := mockprovider.NewServer(opts...)
	spec, err := MockSpec(srv)
	if err != nil {
		srv.Close()
		return nil, err
	}
	p := &Provider{Spec: spec}
	p.OnClose(func() error { srv.Close(); return nil })
	return p, nil
}

// MockSpec describes a running mock server; the description does not
// own the server.
func MockSpec(srv *mockprovider.Server) (*providerspec.Spec, error) {
	clients := srv.Clients()
	users := srv.Users()
	if len(clients) == 0 || len(users) == 0 {
		return nil, fmt.Errorf("target: the mock has no client or no user")
	}
	toClient := func(c mockprovider.Client) *providerspec.Client {
		return &providerspec.Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: "client_secret_basic"}
	}
	granted := clients[0].DefaultScopes
	if len(granted) == 0 {
		granted = clients[0].Scopes
	}
	s := &providerspec.Spec{
		Name:         "mock",
		Mode:         "embedded mock provider",
		Issuer:       srv.URL,
		AuthorizeURL: srv.URL + "/oauth/authorize",
		TokenURL:     srv.URL + "/oauth/token",
		MeURL:        srv.URL + "/oauth/api/me",
		Clients:      map[string]*providerspec.Client{"primary": toClient(clients[0])},
		Scopes:       providerspec.Scopes{Granted: granted},
		User:         providerspec.User{Username: users[0].Username, Password: users[0].Password},
		Capabilities: []providerspec.Capability{providerspec.PKCE, providerspec.Refresh, providerspec.Clock},
		Clock:        mockClock{srv},
		Resource:     &providerspec.Resource{URL: srv.URL + "/oauth/api/email", Scope: "email", Without: "profile"},
	}
	for _, c := range clients[1:] {
		switch {
		case c.Public:
		case len(c.RedirectURIs) > 1 && s.Clients["multi"] == nil:
			s.Clients["multi"] = toClient(c)
		case len(c.RedirectURIs) == 1 && s.Clients["secondary"] == nil:
			s.Clients["secondary"] = toClient(c)
		}
	}
	s.ApplyDefaults()
	return s, nil
}
