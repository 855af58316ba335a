package launch

import (
	"fmt"
	"slices"

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
		pc := &providerspec.Client{ID: c.ID, Secret: c.Secret, RedirectURI: c.RedirectURIs[0], AuthMethod: "client_secret_basic"}
		if len(c.PostLogoutRedirectURIs) > 0 {
			pc.PostLogoutRedirectURI = c.PostLogoutRedirectURIs[0]
		}
		return pc
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
		User: providerspec.User{Username: users[0].Username, Password: users[0].Password,
			Claims: mockClaims(users[0])},
		Capabilities: []providerspec.Capability{providerspec.PKCE, providerspec.Refresh, providerspec.Clock, providerspec.OpenID},
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

// mockClaims are the claims the mock releases about u for scope openid
// email: the e-mail address and email_verified (OpenID Connect Core 1.0
// §5.4) and the user's custom claims, which go into every id_token. The
// standard claims of other scopes are left out, and so is sub, which
// oidc/userinfo-sub compares between UserInfo and the id_token.
func mockClaims(u mockprovider.User) map[string]any {
	claims := map[string]any{}
	for name, v := range u.Claims {
		if !slices.Contains(otherScopeClaims, name) {
			claims[name] = v
		}
	}
	if u.Email != "" {
		claims["email"] = u.Email
	}
	if len(claims) == 0 {
		return nil
	}
	return claims
}

// otherScopeClaims are the standard claims (OpenID Connect Core 1.0 §5.1)
// that the profile, address and phone scopes release (§5.4).
var otherScopeClaims = []string{
	"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
	"website", "gender", "birthdate", "zoneinfo", "locale", "updated_at", "address", "phone_number", "phone_number_verified",
}
