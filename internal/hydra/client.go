package hydra

import (
	"context"
	"errors"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// Client is an OAuth 2.0 client registration (RFC 7591 field names in
// Hydra's admin API). Zero fields take the defaults noted.
type Client struct {
	// ID and Secret are the fixed client_id and client_secret; Hydra makes
	// them up when empty (Secret stays empty for public clients).
	ID     string
	Secret string
	// Name is shown on the consent page; empty shows the ID.
	Name string
	// RedirectURIs are the registered redirect URIs.
	RedirectURIs []string
	// Scopes the client may request; empty means ["email"] (the seed's).
	// With the refresh_token grant, "offline" and "offline_access" are added
	// when missing: Hydra issues a refresh token only when one of them is
	// requested and granted.
	Scopes []string
	// GrantTypes; empty means authorization_code and refresh_token.
	GrantTypes []string
	// ResponseTypes; empty means code.
	ResponseTypes []string
	// TokenEndpointAuthMethod is client_secret_basic (empty), client_secret_post or none.
	TokenEndpointAuthMethod string
	// PostLogoutRedirectURIs are where RP-initiated logout may send the
	// browser back (OpenID Connect RP-Initiated Logout 1.0 §3).
	PostLogoutRedirectURIs []string
	// SkipConsent makes the login app accept consent without asking
	// (a trusted client).
	SkipConsent bool
}

// hydraClient is the body of POST /admin/clients.
type hydraClient struct {
	ClientID                string   `json:"client_id,omitempty"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	RedirectURIs            []string `json:"redirect_uris"`
	Scope                   string   `json:"scope"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	SkipConsent             bool     `json:"skip_consent,omitempty"`
	PostLogoutRedirectURIs  []string `json:"post_logout_redirect_uris,omitempty"`
}

// registration returns the body of POST /admin/clients with the defaults applied.
func (c Client) registration() hydraClient {
	r := hydraClient{
		ClientID:                c.ID,
		ClientSecret:            c.Secret,
		ClientName:              c.Name,
		RedirectURIs:            nonNil(c.RedirectURIs),
		GrantTypes:              c.GrantTypes,
		ResponseTypes:           c.ResponseTypes,
		TokenEndpointAuthMethod: c.TokenEndpointAuthMethod,
		SkipConsent:             c.SkipConsent,
		PostLogoutRedirectURIs:  c.PostLogoutRedirectURIs,
	}
	if len(r.GrantTypes) == 0 {
		r.GrantTypes = []string{"authorization_code", "refresh_token"}
	}
	if len(r.ResponseTypes) == 0 {
		r.ResponseTypes = []string{"code"}
	}
	if r.TokenEndpointAuthMethod == "" {
		r.TokenEndpointAuthMethod = "client_secret_basic"
	}
	scopes := slices.Clone(c.Scopes)
	if len(scopes) == 0 {
		scopes = []string{"email"}
	}
	if slices.Contains(r.GrantTypes, "refresh_token") {
		for _, s := range []string{"offline", "offline_access"} {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	r.Scope = strings.Join(scopes, " ")
	return r
}

// CreateClient registers c through Hydra's admin API (POST /admin/clients).
func (h *Instance) CreateClient(ctx context.Context, c Client) error {
	if h.admin == nil {
		return errors.New("hydra: CreateClient on an instance that did not start")
	}
	return h.admin.createClient(ctx, c.registration())
}

// Endpoint returns Hydra's endpoints for golang.org/x/oauth2.
func (h *Instance) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{AuthURL: h.AuthorizeURL, TokenURL: h.TokenURL}
}

// OAuth2Config returns the x/oauth2 configuration of c on this instance:
// its first redirect URI and its scopes (["email"] when none; offline is
// not added: request it to get a refresh token).
func (h *Instance) OAuth2Config(c Client) *oauth2.Config {
	conf := &oauth2.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		Endpoint:     h.Endpoint(),
		Scopes:       c.Scopes,
	}
	if len(conf.Scopes) == 0 {
		conf.Scopes = []string{"email"}
	}
	if len(c.RedirectURIs) > 0 {
		conf.RedirectURL = c.RedirectURIs[0]
	}
	switch c.TokenEndpointAuthMethod {
	case "", "client_secret_basic":
		conf.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	case "client_secret_post", "none":
		conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	}
	return conf
}
