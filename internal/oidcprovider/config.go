package oidcprovider

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strconv"
)

// The roles of the clients the suite uses (see DESIGN.md, "Targets").
const (
	RolePrimary   = "primary"
	RoleSecondary = "secondary"
	RoleMulti     = "multi"
)

// SeedClientID is the seed's client id (testdata/clients.yaml), registered
// for the primary role.
const SeedClientID = "QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq"

// Client is a static client registration (OpenID Connect Dynamic Client
// Registration 1.0 §2 metadata, as oidc-provider takes it).
type Client struct {
	// Role is primary, secondary or multi.
	Role string
	// ID is the client_id.
	ID string
	// Secret is the client_secret; [Start] generates one per run when empty.
	Secret string
	// RedirectURIs are the registered redirect URIs (RFC 6749 §3.1.2).
	RedirectURIs []string
	// PostLogoutRedirectURIs are where RP-initiated logout may send the
	// user back (OpenID Connect RP-Initiated Logout 1.0 §3.1).
	PostLogoutRedirectURIs []string
	// AuthMethod is the registered token endpoint auth method:
	// client_secret_basic (when empty) or client_secret_post (RFC 6749
	// §2.3.1). oidc-provider accepts either of the two from a client
	// registered for one of them (lib/shared/client_auth.js).
	AuthMethod string
}

// DefaultClients are the suite's clients, on the loopback IP like Hydra's
// (RFC 8252 §7.3): the seed's client id (with a post-logout redirect URI),
// a second client, and one with two redirect URIs. Secrets are left empty, so every run has its own.
func DefaultClients() []Client {
	return []Client{
		{Role: RolePrimary, ID: SeedClientID, RedirectURIs: []string{"http://127.0.0.1:8000/authorized"},
			PostLogoutRedirectURIs: []string{"http://127.0.0.1:8000/"}},
		{Role: RoleSecondary, ID: "conformance-secondary", RedirectURIs: []string{"http://127.0.0.1:8001/authorized"}},
		{Role: RoleMulti, ID: "conformance-multi", RedirectURIs: []string{
			"http://127.0.0.1:8002/authorized", "http://127.0.0.1:8002/callback"}},
	}
}

// User is an account that can sign in on the provider's login page.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Email    string `json:"email"`
}

// DefaultUsers are the users of testdata/users.yaml.
var DefaultUsers = []User{
	{Username: "alice", Password: "wonderland", Email: "alice@example.com"},
	{Username: "bob", Password: "builder", Email: "bob@example.com"},
}

// clientMetadata is a client as oidc-provider's `clients` option takes it.
type clientMetadata struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret"`
	RedirectURIs            []string `json:"redirect_uris"`
	PostLogoutRedirectURIs  []string `json:"post_logout_redirect_uris,omitempty"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	Scope                   string   `json:"scope"`
}

// programConfig is what the Node program reads from $DSRA_OIDC_CONFIG.
type programConfig struct {
	Issuer     string           `json:"issuer"`
	Host       string           `json:"host"`
	Port       int              `json:"port"`
	CookieKeys []string         `json:"cookieKeys"`
	Clients    []clientMetadata `json:"clients"`
	Users      []User           `json:"users"`
}

// configEnv is the environment variable that carries the program's configuration.
const configEnv = "DSRA_OIDC_CONFIG"

// validateClients checks the registrations before Node sees them.
func validateClients(clients []Client) error {
	seen := map[string]bool{}
	for _, c := range clients {
		switch {
		case c.ID == "":
			return fmt.Errorf("oidcprovider: the %s client has no id", c.Role)
		case seen[c.ID]:
			return fmt.Errorf("oidcprovider: client id %q is registered twice", c.ID)
		case len(c.RedirectURIs) == 0:
			return fmt.Errorf("oidcprovider: client %q has no redirect URI", c.ID)
		case c.AuthMethod != "" && c.AuthMethod != "client_secret_basic" && c.AuthMethod != "client_secret_post":
			return fmt.Errorf("oidcprovider: client %q: auth method %q is not client_secret_basic or client_secret_post", c.ID, c.AuthMethod)
		}
		seen[c.ID] = true
	}
	return nil
}

// withSecrets returns the clients with empty secrets and auth methods
// filled; a generated secret is [rand.Text], 128 bits from crypto/rand.
func withSecrets(clients []Client) []Client {
	out := make([]Client, len(clients))
	for i, c := range clients {
		if c.Secret == "" {
			c.Secret = rand.Text()
		}
		if c.AuthMethod == "" {
			c.AuthMethod = "client_secret_basic"
		}
		out[i] = c
	}
	return out
}

// newProgramConfig is the configuration of a provider at 127.0.0.1:port.
func newProgramConfig(port int, clients []Client, users []User) *programConfig {
	cfg := &programConfig{
		Issuer: "http://127.0.0.1:" + strconv.Itoa(port),
		Host:   "127.0.0.1",
		Port:   port,
		Users:  users,
		// The first key signs the cookies, both verify (keygrip rotation).
		CookieKeys: []string{rand.Text(), rand.Text()},
	}
	for _, c := range clients {
		cfg.Clients = append(cfg.Clients, clientMetadata{
			ClientID:                c.ID,
			ClientSecret:            c.Secret,
			RedirectURIs:            c.RedirectURIs,
			PostLogoutRedirectURIs:  c.PostLogoutRedirectURIs,
			GrantTypes:              []string{"authorization_code", "refresh_token", "client_credentials"},
			ResponseTypes:           []string{"code"},
			TokenEndpointAuthMethod: c.AuthMethod,
			Scope:                   "openid offline_access email profile",
		})
	}
	return cfg
}

// env is the program's configuration as an environment variable.
func (c *programConfig) env() (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("oidcprovider: %w", err)
	}
	return configEnv + "=" + string(b), nil
}
