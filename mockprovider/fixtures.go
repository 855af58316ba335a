package mockprovider

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

// Client is a registered OAuth 2.0 client (RFC 6749 §2).
type Client struct {
	// ID is the client_id.
	ID string `yaml:"client_id" json:"client_id"`
	// Secret is the client_secret; empty for a public client.
	Secret string `yaml:"client_secret,omitempty" json:"-"`
	// Name is shown on the consent page.
	Name string `yaml:"name" json:"name"`
	// HomepageURL is the seed's "HomePage URL".
	HomepageURL string `yaml:"homepage_url,omitempty" json:"homepage_url,omitempty"`
	// RedirectURIs are the registered "Authorization Callback URLs",
	// compared to the presented redirect_uri by the client's RedirectPolicy.
	RedirectURIs []string `yaml:"redirect_uris" json:"redirect_uris"`
	// Scopes the client may ask for.
	Scopes []string `yaml:"scopes" json:"scopes"`
	// DefaultScopes are granted when a request has no scope (RFC 6749
	// §3.3); empty means all of Scopes.
	DefaultScopes []string `yaml:"default_scopes,omitempty" json:"default_scopes,omitempty"`
	// Trusted clients skip the consent page.
	Trusted bool `yaml:"trusted,omitempty" json:"trusted,omitempty"`
	// Public clients have no secret and must use PKCE (RFC 7636).
	Public bool `yaml:"public,omitempty" json:"public,omitempty"`
	// ResourceServer clients may introspect tokens issued to any client
	// (RFC 7662 §4); other clients learn only about their own.
	ResourceServer bool `yaml:"resource_server,omitempty" json:"resource_server,omitempty"`
	// AuthMethod restricts token endpoint authentication to one of
	// "client_secret_basic", "client_secret_post"; empty allows both.
	AuthMethod string `yaml:"auth_method,omitempty" json:"auth_method,omitempty"`
	// RedirectPolicy overrides the provider's redirect matching policy for
	// this client; empty means the provider's.
	RedirectPolicy RedirectPolicy `yaml:"redirect_policy,omitempty" json:"redirect_policy,omitempty"`
	// PostLogoutRedirectURIs are where the end-session endpoint may send
	// the browser after logout, compared by exact string (OpenID Connect
	// RP-Initiated Logout 1.0 §3, §3.1).
	PostLogoutRedirectURIs []string `yaml:"post_logout_redirect_uris,omitempty" json:"post_logout_redirect_uris,omitempty"`
	// IDTokenSignedResponseAlg is the id_token signing algorithm (OpenID
	// Connect Dynamic Client Registration 1.0 §2): one of [SigningAlgs];
	// empty means RS256.
	IDTokenSignedResponseAlg string `yaml:"id_token_signed_response_alg,omitempty" json:"id_token_signed_response_alg,omitempty"`
	// AccessTokenFormat is "opaque" (the default: random strings) or "jwt"
	// (signed RFC 9068 JWT access tokens carrying the custom claims).
	AccessTokenFormat string `yaml:"access_token_format,omitempty" json:"access_token_format,omitempty"`
	// Claims are custom claims added to this client's id_tokens, UserInfo
	// answers and JWT access tokens; a user's claim of the same name wins.
	// Standard and registered claim names are refused (see [User.Claims]).
	Claims map[string]any `yaml:"claims,omitempty" json:"claims,omitempty"`
}

// User is a resource owner who can sign in on the login page.
type User struct {
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"-"`
	Email    string `yaml:"email,omitempty" json:"email,omitempty"`
	// Subject is the OpenID Connect sub claim (OIDC Core §2, §5.7): at most
	// 255 ASCII characters, stable per user. Empty means
	// [DefaultSubject](Username).
	Subject string `yaml:"sub,omitempty" json:"sub,omitempty"`
	// Claims are the user's other claims. Standard claims of OIDC Core
	// §5.1 (name, given_name, phone_number, address, email_verified, ...)
	// are released by scope (§5.4); any other name is a custom claim
	// (string, number, boolean, array or object), released in every
	// id_token, UserInfo answer and JWT access token.
	Claims map[string]any `yaml:"claims,omitempty" json:"claims,omitempty"`
}

// The seed's sample client and the fixtures' default user.
const (
	SeedClientID     = "QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq"
	SeedClientSecret = "tBhV3kXq8RmW2zLp9cNf6yTd4sJa7uGe1HiKoPw5QrZxEb0MvY"
	SeedRedirectURI  = "http://localhost:8000/authorized"
)

// defaultScopes is what a request without scope is granted.
func (c *Client) defaultScopes() []string {
	if len(c.DefaultScopes) > 0 {
		return slices.Clone(c.DefaultScopes)
	}
	return slices.Clone(c.Scopes)
}

// DefaultClients returns the registrations in testdata/clients.yaml: the
// seed's sample client, a second client for cross-client checks and a
// client with two redirect URIs.
func DefaultClients() []Client {
	return []Client{
		{
			ID:                     SeedClientID,
			Secret:                 SeedClientSecret,
			Name:                   "Seed sample client",
			HomepageURL:            "http://localhost:8000",
			RedirectURIs:           []string{SeedRedirectURI},
			PostLogoutRedirectURIs: []string{"http://localhost:8000/"},
			Scopes:                 []string{"openid", "email", "profile", "address", "phone"},
			DefaultScopes:          []string{"email"},
		},
		{
			ID:                     "Zk3dP0qLmW8sVbN2xYr7TgHc5JfA1uEo9iKqR4tS",
			Secret:                 "Hq2Lw9Zx4Ns7Bv1Mc8Kd3Jf6Gt0Ry5Pe2Ua7Io4Qs9Wx1Ez3Tb",
			Name:                   "Second sample client",
			HomepageURL:            "http://localhost:8001",
			RedirectURIs:           []string{"http://localhost:8001/authorized"},
			PostLogoutRedirectURIs: []string{"http://localhost:8001/"},
			Scopes:                 []string{"openid", "email", "profile", "address", "phone"},
			DefaultScopes:          []string{"email"},
		},
		{
			ID:                     "Mc7Tq2Vw9Xe4Ry1Ub6In3Op8As5Df0GhJk2Lz7Qm",
			Secret:                 "Pv4Nc9Bx2Mz7Lk1Jh6Gf3Ds8Ap5Oi0Uy4Tr9Ew2Qa7Zs1Xd6C",
			Name:                   "Multi-callback sample client",
			HomepageURL:            "http://localhost:8002",
			RedirectURIs:           []string{"http://localhost:8002/authorized", "http://localhost:8002/callback"},
			PostLogoutRedirectURIs: []string{"http://localhost:8002/"},
			Scopes:                 []string{"openid", "email", "profile", "address", "phone"},
			DefaultScopes:          []string{"email"},
		},
	}
}

// DefaultUsers returns the users in testdata/users.yaml.
func DefaultUsers() []User {
	return []User{
		{Username: "alice", Password: "wonderland", Email: "alice@example.com", Claims: map[string]any{
			"name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "email_verified": true,
			"phone_number": "+44 1865 000000", "locale": "en-GB",
			"address": map[string]any{"street_address": "Christ Church", "locality": "Oxford", "country": "GB"},
			"groups":  []any{"readers", "admins"},
			"tenant":  map[string]any{"id": 42, "plan": "gold"},
			"beta":    true,
		}},
		{Username: "bob", Password: "builder", Email: "bob@example.com", Claims: map[string]any{
			"name": "Bob Builder", "email_verified": false, "groups": []any{"readers"},
		}},
	}
}

// FixtureError reports a bad fixture file: which file, which line, why.
type FixtureError struct {
	File   string
	Line   int
	Reason string
}

func (e *FixtureError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("mockprovider: %s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("mockprovider: %s: %s", e.File, e.Reason)
}

// LoadClients reads a clients fixture file (see testdata/clients.yaml).
func LoadClients(path string) ([]Client, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FixtureError{File: path, Reason: err.Error()}
	}
	return ParseClients(path, data)
}

// LoadUsers reads a users fixture file (see testdata/users.yaml).
func LoadUsers(path string) ([]User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FixtureError{File: path, Reason: err.Error()}
	}
	return ParseUsers(path, data)
}

// ParseClients decodes and validates a clients fixture; name is used in
// error messages.
func ParseClients(name string, data []byte) ([]Client, error) {
	var doc struct {
		Clients []Client `yaml:"clients"`
	}
	file, err := decodeFixture(name, data, "clients", &doc)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range doc.Clients {
		c := &doc.Clients[i]
		item := fmt.Sprintf("clients[%d]", i)
		if err := c.validate(); err != nil {
			return nil, &FixtureError{File: name, Line: file.Line(item + "." + fieldOf(err.Error())), Reason: err.Error()}
		}
		if seen[c.ID] {
			return nil, &FixtureError{File: name, Line: file.Line(item + ".client_id"), Reason: fmt.Sprintf("client_id %q is registered twice", c.ID)}
		}
		seen[c.ID] = true
		c.applyDefaults()
	}
	return doc.Clients, nil
}

// ParseUsers decodes and validates a users fixture.
func ParseUsers(name string, data []byte) ([]User, error) {
	var doc struct {
		Users []User `yaml:"users"`
	}
	file, err := decodeFixture(name, data, "users", &doc)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, u := range doc.Users {
		reason := ""
		switch {
		case u.Username == "":
			reason = "user without a username"
		case !validText(u.Username, 200) || strings.ContainsAny(u.Username, " \t\r\n"):
			reason = fmt.Sprintf("username %q must be 1 to 200 printable characters without spaces", u.Username)
		case u.Password == "":
			reason = fmt.Sprintf("user %q has no password", u.Username)
		case seen[u.Username]:
			reason = fmt.Sprintf("user %q is listed twice", u.Username)
		}
		if reason != "" {
			return nil, &FixtureError{File: name, Line: file.Line(fmt.Sprintf("users[%d]", i)), Reason: reason}
		}
		if err := u.validateOIDC(); err != nil {
			return nil, &FixtureError{File: name, Line: file.Line(fmt.Sprintf("users[%d].%s", i, err.field)), Reason: err.Error()}
		}
		seen[u.Username] = true
	}
	return doc.Users, nil
}

// decodeFixture decodes data strictly into v (see [yamlfile.Decode]) and
// checks that it has a non-empty top-level list named key.
func decodeFixture(name string, data []byte, key string, v any) (*yamlfile.Document, error) {
	file, err := yamlfile.Decode(name, data, v)
	if err != nil {
		var ye *yamlfile.Error
		if !errors.As(err, &ye) {
			return nil, &FixtureError{File: name, Reason: err.Error()}
		}
		reason := ye.Reason
		if errors.Is(err, yamlfile.ErrEmpty) {
			reason = fmt.Sprintf("empty file: expected a top-level %q list", key)
		}
		return nil, &FixtureError{File: name, Line: ye.Line, Reason: reason}
	}
	root := file.Root.Content[0]
	for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			if len(root.Content[i+1].Content) == 0 {
				return nil, &FixtureError{File: name, Line: root.Content[i].Line, Reason: fmt.Sprintf("%q is empty", key)}
			}
			return file, nil
		}
	}
	return nil, &FixtureError{File: name, Line: 1, Reason: fmt.Sprintf("expected a top-level %q list", key)}
}

// fieldOf finds the field a validation message of [Client.validate]
// names, as a path below the client: "redirect_uris[1]" for
// `client "x": redirect_uris[1]: ...`, "client_id" when it names none.
func fieldOf(msg string) string {
	for _, f := range []string{"post_logout_redirect_uris", "redirect_uris", "homepage_url", "id_token_signed_response_alg", "access_token_format", "claims", "default_scopes", "scopes", "auth_method", "client_secret", "redirect_policy", "name"} {
		at := strings.Index(msg, f)
		if at < 0 || (at > 0 && msg[at-1] != ' ') {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(msg[at+len(f):], "[%d]", &n); err == nil {
			return fmt.Sprintf("%s[%d]", f, n)
		}
		if rest, ok := strings.CutPrefix(msg[at+len(f):], "."); ok {
			if name, _, ok := strings.Cut(rest, ":"); ok {
				return f + "." + name // claims.<name>
			}
		}
		return f
	}
	return ""
}

// applyDefaults fills what a registration may leave out: the name shown
// on the consent page is the client_id.
func (c *Client) applyDefaults() {
	if c.Name == "" {
		c.Name = c.ID
	}
}

// validate checks a registration; it changes nothing.
func (c *Client) validate() error {
	if err := c.validateIdentity(false); err != nil {
		return err
	}
	return c.validateSettings()
}

// validateIdentity checks the client_id and client_secret; with draw, an
// empty one is allowed (it is drawn after the whole registration passed).
func (c *Client) validateIdentity(draw bool) error {
	switch {
	case c.ID == "" && !draw:
		return errors.New("client without a client_id")
	case c.ID != "" && (!validText(c.ID, 200) || strings.ContainsAny(c.ID, " :\t\r\n")):
		return fmt.Errorf("client_id %q must be 1 to 200 printable characters without spaces or colons", c.ID)
	case c.Public && c.Secret != "":
		return fmt.Errorf("client %s is public but has a client_secret", c.label())
	case !c.Public && c.Secret == "" && !draw:
		return fmt.Errorf("client %s has no client_secret (mark it public: true if it is a public client)", c.label())
	}
	return nil
}

// label names the client in errors: its quoted client_id, or "(new)"
// while the id is still to be drawn.
func (c *Client) label() string {
	if c.ID == "" {
		return "(new)"
	}
	return strconv.Quote(c.ID)
}

// validateSettings checks everything but the client_id and secret.
func (c *Client) validateSettings() error {
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("client %s has no redirect_uris", c.label())
	}
	if dup := firstDuplicate(c.RedirectURIs); dup != "" {
		return fmt.Errorf("client %s: redirect_uris lists %q twice", c.label(), dup)
	}
	if why := checkDisplayText(c.Name, 200); c.Name != "" && why != "" {
		// The consent page shows the name: it must read as it is.
		return fmt.Errorf("client %s: name %s", c.label(), why)
	}
	for i, u := range c.RedirectURIs {
		if err := ValidateRedirectURI(u); err != nil {
			return fmt.Errorf("client %s: redirect_uris[%d]: %v", c.label(), i, err)
		}
	}
	if c.HomepageURL != "" {
		if err := validateHTTPURL(c.HomepageURL); err != nil {
			return fmt.Errorf("client %s: homepage_url: %v", c.label(), err)
		}
	}
	for _, s := range c.Scopes {
		if !scope.ValidToken(s) {
			return fmt.Errorf("client %s: scope %q is not a valid scope token (RFC 6749 §3.3)", c.label(), s)
		}
	}
	if !scope.Subset(c.DefaultScopes, c.Scopes) {
		return fmt.Errorf("client %s: default_scopes must be among its scopes", c.label())
	}
	switch c.AuthMethod {
	case "", AuthMethodBasic, AuthMethodPost:
	default:
		return fmt.Errorf("client %s: auth_method %q is not one of %s, %s", c.label(), c.AuthMethod, AuthMethodBasic, AuthMethodPost)
	}
	if c.RedirectPolicy != "" {
		if _, err := ParseRedirectPolicy(string(c.RedirectPolicy)); err != nil {
			return fmt.Errorf("client %s: %v", c.label(), err)
		}
	}
	return c.validateOIDC()
}

// firstDuplicate returns the first value listed twice, or "".
func firstDuplicate(vs []string) string {
	seen := make(map[string]bool, len(vs))
	for _, v := range vs {
		if seen[v] {
			return v
		}
		seen[v] = true
	}
	return ""
}

// Token endpoint client authentication methods (RFC 7591 §2 names).
const (
	AuthMethodBasic = "client_secret_basic"
	AuthMethodPost  = "client_secret_post"
)

// ValidateRedirectURI checks a redirection endpoint as RFC 6749 §3.1.2
// requires: an absolute http or https URI without a fragment.
func ValidateRedirectURI(raw string) error {
	if err := validateHTTPURL(raw); err != nil {
		return err
	}
	if strings.Contains(raw, "#") {
		return fmt.Errorf("%q has a fragment; RFC 6749 §3.1.2 forbids one", raw)
	}
	return nil
}

func validateHTTPURL(raw string) error {
	if raw == "" {
		return errors.New("empty URL")
	}
	if !validText(raw, 2048) {
		return fmt.Errorf("URL must be 1 to 2048 printable characters")
	}
	if why := checkURIChars(raw); why != "" {
		return fmt.Errorf("%q %s", raw, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", raw, errors.Unwrap(err))
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL (it needs a scheme and a host)", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: scheme %q is not http or https", raw, u.Scheme)
	}
	return nil
}

// validText reports whether s is valid UTF-8 of 1..max bytes without
// control characters.
func validText(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}
