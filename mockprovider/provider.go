package mockprovider

import (
	"crypto"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// PKCEPolicy says when the provider demands PKCE (RFC 7636).
type PKCEPolicy string

// The PKCE policies. Public clients must always use PKCE.
const (
	// PKCEOptional verifies PKCE when a code_challenge was sent.
	PKCEOptional PKCEPolicy = "optional"
	// PKCERequired refuses authorization requests without code_challenge.
	PKCERequired PKCEPolicy = "required"
	// PKCERequiredS256 also refuses the plain method (RFC 9700 §2.1.1).
	PKCERequiredS256 PKCEPolicy = "s256"
)

// Default lifetimes.
const (
	DefaultCodeLifetime    = 10 * time.Minute
	DefaultTokenLifetime   = time.Hour
	DefaultRefreshLifetime = 30 * 24 * time.Hour
	// DefaultSeed is the seed used when none is given.
	DefaultSeed uint64 = 1
)

// The provider's endpoints, relative to its base URL (see DESIGN.md's
// HTTP surface); [Provider.QueueError] takes them.
const (
	PathLogin      = "/oauth"
	PathLogout     = "/oauth/logout"
	PathAuthorize  = "/oauth/authorize"
	PathToken      = "/oauth/token"
	PathRevoke     = "/oauth/revoke"
	PathIntrospect = "/oauth/introspect"
	PathMe         = "/oauth/api/me"
	PathEmail      = "/oauth/api/email"
	PathRegister   = "/oauth/register"
	PathMetadata   = "/.well-known/oauth-authorization-server"
	// The OpenID Connect endpoints: discovery (OpenID Connect Discovery
	// 1.0 §4), JWKS (OIDC Core §10.1), UserInfo (§5.3), end session
	// (RP-Initiated Logout 1.0 §2).
	PathDiscovery  = "/.well-known/openid-configuration"
	PathJWKS       = "/oauth/jwks"
	PathUserinfo   = "/oauth/userinfo"
	PathEndSession = "/oauth/end_session"
)

// Option configures a [Provider].
type Option func(*config)

type config struct {
	clients         []Client
	users           []User
	seed            uint64
	realClock       bool
	epoch           time.Time
	policy          RedirectPolicy
	pkce            PKCEPolicy
	codeLifetime    time.Duration
	tokenLifetime   time.Duration
	refreshLifetime time.Duration
	issuer          string
	logger          *slog.Logger
	quirks          []Quirk
	remoteControl   bool
	autoApprove     string
	signingKey      crypto.Signer
	randomKeys      bool
	hosts           []string
	limits          Limits
	stateDir        string
}

// WithClients replaces the default clients ([DefaultClients]).
func WithClients(clients ...Client) Option {
	return func(c *config) { c.clients = slices.Clone(clients) }
}

// WithClient registers one more client beside the others.
func WithClient(client Client) Option {
	return func(c *config) { c.clients = append(slices.Clone(c.clients), client) }
}

// WithUsers replaces the default users ([DefaultUsers]).
func WithUsers(users ...User) Option {
	return func(c *config) { c.users = slices.Clone(users) }
}

// WithSeed sets the seed of codes, tokens, ids and secrets.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithRealClock makes the provider use the wall clock instead of the
// virtual one; [Provider.Advance] then has no effect.
func WithRealClock() Option { return func(c *config) { c.realClock = true } }

// WithEpoch sets the instant the virtual clock starts at ([DefaultEpoch]).
func WithEpoch(t time.Time) Option { return func(c *config) { c.epoch = t.UTC() } }

// WithRedirectPolicy sets how redirect URIs are matched for clients that
// do not set their own ([PolicyExact] by default).
func WithRedirectPolicy(p RedirectPolicy) Option { return func(c *config) { c.policy = p } }

// WithPKCE sets when PKCE is demanded ([PKCEOptional] by default).
func WithPKCE(p PKCEPolicy) Option { return func(c *config) { c.pkce = p } }

// WithCodeLifetime sets how long authorization codes live (10 minutes).
func WithCodeLifetime(d time.Duration) Option { return func(c *config) { c.codeLifetime = d } }

// WithTokenLifetime sets how long access tokens live (1 hour).
func WithTokenLifetime(d time.Duration) Option { return func(c *config) { c.tokenLifetime = d } }

// WithRefreshLifetime sets how long refresh tokens live (30 days).
func WithRefreshLifetime(d time.Duration) Option { return func(c *config) { c.refreshLifetime = d } }

// WithAutoApprove makes the authorization endpoint act for the given
// user: a valid authorization request is answered at once with a 302 to
// the client's redirect URI carrying a code, with no login or consent
// page, so that a client's HTTP-level test can follow the redirects. A
// signed-in browser session still acts for its own user. The user must
// be one of the provider's users.
func WithAutoApprove(username string) Option { return func(c *config) { c.autoApprove = username } }

// WithIssuer sets the issuer identifier and base URL used in metadata;
// by default it is derived from each request's Host.
func WithIssuer(issuer string) Option { return func(c *config) { c.issuer = issuer } }

// WithLogger sets the structured logger (silent by default).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithQuirks switches the provider into the given deviations.
func WithQuirks(q ...Quirk) Option {
	return func(c *config) { c.quirks = append(slices.Clone(c.quirks), q...) }
}

// WithRemoteControl serves the /_mock control API to any client, not only
// to loopback ones.
func WithRemoteControl() Option { return func(c *config) { c.remoteControl = true } }

// WithSigningKey signs with a key of your own instead of the seeded one of
// its algorithm: an RSA key (at least 2048 bits) signs RS256, an EC P-256
// key ES256, an Ed25519 key EdDSA (see [LoadSigningKey]).
func WithSigningKey(k crypto.Signer) Option { return func(c *config) { c.signingKey = k } }

// WithRandomKeys makes the signing keys from crypto/rand instead of the
// seed, at first use (an RSA key takes about 100 ms). The seeded RSA keys
// are public test keys (see keys.go), so a provider whose tokens must not
// be forgeable, such as one started with --seed random, needs this or
// [WithSigningKey].
func WithRandomKeys() Option { return func(c *config) { c.randomKeys = true } }

// Provider is the mock OAuth 2.0 provider, an [http.Handler]. Create one
// with [New]; every Provider has its own state, so tests may run in
// parallel.
type Provider struct {
	cfg   config
	log   *slog.Logger
	clock *clock
	ids   *idSource
	keys  *keySet
	pages *template.Template
	mux   *http.ServeMux

	mu     sync.Mutex
	st     *state
	quirks map[Quirk]bool

	consultMu sync.Mutex
	consulted map[Quirk]bool // the quirks read, see QuirksConsulted
	// injected are the answers queued by QueueError and QueueResponse,
	// by path.
	injected map[string][]injected

	// reqLog is the ring of the last requests, for /_mock/requests.
	reqLog *requestLog

	// stateStore keeps what survives a restart; nil without WithStateDir.
	stateStore *stateStore
}

// New returns a provider configured by opts.
func New(opts ...Option) (*Provider, error) {
	cfg := config{
		clients:         DefaultClients(),
		users:           DefaultUsers(),
		seed:            DefaultSeed,
		epoch:           DefaultEpoch,
		policy:          PolicyExact,
		pkce:            PKCEOptional,
		codeLifetime:    DefaultCodeLifetime,
		tokenLifetime:   DefaultTokenLifetime,
		refreshLifetime: DefaultRefreshLifetime,
		limits:          DefaultLimits(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	store, generation, doc, err := openState(cfg.stateDir)
	if err != nil {
		return nil, err
	}
	keys, err := newKeySet(cfg.seed, cfg.signingKey)
	if err != nil {
		return nil, err
	}
	keys.random = cfg.randomKeys
	p := &Provider{
		keys:       keys,
		cfg:        cfg,
		log:        cfg.logger,
		clock:      newClock(cfg.realClock, cfg.epoch),
		ids:        newIDSource(cfg.seed, generation),
		pages:      pages,
		reqLog:     newRequestLog(cfg.limits.Requests),
		stateStore: store,
	}
	p.resetState()
	if err := p.restoreState(doc); err != nil {
		return nil, err
	}
	p.routes()
	return p, nil
}

// applyDefaults fills what the options left out.
func (c *config) applyDefaults() {
	c.clients = slices.Clone(c.clients)
	for i := range c.clients {
		c.clients[i].applyDefaults()
	}
	if c.logger == nil {
		c.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// validate checks the configuration; it changes nothing.
func (c *config) validate() error {
	for _, check := range []func() error{c.validatePolicies, c.validateClients, c.validateUsers, c.validateRest} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *config) validatePolicies() error {
	if _, err := ParseRedirectPolicy(string(c.policy)); err != nil {
		return err
	}
	switch c.pkce {
	case PKCEOptional, PKCERequired, PKCERequiredS256:
	default:
		return fmt.Errorf("mockprovider: unknown PKCE policy %q (known: optional, required, s256)", c.pkce)
	}
	if c.codeLifetime <= 0 || c.tokenLifetime <= 0 || c.refreshLifetime <= 0 {
		return errors.New("mockprovider: lifetimes must be positive")
	}
	return nil
}

func (c *config) validateClients() error {
	if len(c.clients) == 0 {
		return errors.New("mockprovider: no clients")
	}
	seen := map[string]bool{}
	for i := range c.clients {
		if err := c.clients[i].validate(); err != nil {
			return fmt.Errorf("mockprovider: %w", err)
		}
		if seen[c.clients[i].ID] {
			return fmt.Errorf("mockprovider: client_id %q is registered twice", c.clients[i].ID)
		}
		seen[c.clients[i].ID] = true
	}
	return nil
}

func (c *config) validateUsers() error {
	users := map[string]bool{}
	for _, u := range c.users {
		if u.Username == "" || u.Password == "" {
			return errors.New("mockprovider: every user needs a username and a password")
		}
		if users[u.Username] {
			return fmt.Errorf("mockprovider: user %q is listed twice", u.Username)
		}
		if err := u.validateOIDC(); err != nil {
			return fmt.Errorf("mockprovider: %w", err)
		}
		users[u.Username] = true
	}
	if c.autoApprove != "" && !users[c.autoApprove] {
		return fmt.Errorf("mockprovider: auto-approve user %q is not one of the users", c.autoApprove)
	}
	return nil
}

func (c *config) validateRest() error {
	for _, q := range c.quirks {
		if !knownQuirk(q) {
			return fmt.Errorf("mockprovider: unknown quirk %q; known quirks: %s", q, knownQuirkNames())
		}
	}
	if c.issuer != "" {
		if err := validateHTTPURL(c.issuer); err != nil {
			return fmt.Errorf("mockprovider: issuer: %w", err)
		}
	}
	return nil
}

func (p *Provider) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", p.handleHome)
	mux.HandleFunc(PathLogin, p.handleLogin)
	mux.HandleFunc(PathLogout, p.handleLogout)
	mux.HandleFunc(PathAuthorize, p.handleAuthorize)
	mux.HandleFunc(PathToken, p.handleToken)
	mux.HandleFunc(PathRevoke, p.handleRevoke)
	mux.HandleFunc(PathIntrospect, p.handleIntrospect)
	mux.HandleFunc(PathMe, p.handleMe)
	mux.HandleFunc(PathEmail, p.handleEmail)
	mux.HandleFunc(PathRegister, p.handleRegister)
	mux.HandleFunc(PathMetadata, p.handleMetadata)
	mux.HandleFunc(PathDiscovery, p.handleDiscovery)
	mux.HandleFunc(PathJWKS, p.handleJWKS)
	mux.HandleFunc(PathUserinfo, p.handleUserinfo)
	mux.HandleFunc(PathEndSession, p.handleEndSession)
	mux.HandleFunc("GET "+HealthPath, p.handleHealth)
	p.controlRoutes(mux)
	p.mux = mux
}

// ServeHTTP serves the provider's endpoints.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
	// Responses carry the provider's clock, so that the same requests give
	// byte-identical responses.
	w.Header().Set("Date", p.clock.Now().Format(http.TimeFormat))
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("handler panic", "path", r.URL.Path, "panic", v)
			if !rec.wrote {
				writeJSONError(rec, ErrServerError.WithDescription("internal error in the mock provider"))
			}
		}
		p.record(r, rec)
	}()
	if !p.serveInjected(rec, r) {
		p.mux.ServeHTTP(rec, r)
	}
}

// Seed returns the seed of the provider's codes, tokens, ids and secrets.
func (p *Provider) Seed() uint64 { return p.cfg.seed }

// Now returns the provider's current time.
func (p *Provider) Now() time.Time { return p.clock.Now() }

// Advance moves the virtual clock forward by d. It returns [ErrRealClock]
// when the provider uses the real clock, and an error wrapping
// [ErrAdvance] when d is negative or would move the clock past
// [MaxClock]. (POST /_mock/clock also refuses zero: it asks for a
// positive duration.)
func (p *Provider) Advance(d time.Duration) error {
	if err := p.clock.Advance(d); err != nil {
		return err
	}
	p.log.Info("clock advanced", "by", d.String(), "now", p.clock.Now())
	p.mu.Lock()
	p.st.dropExpired(p.clock.Now())
	p.mu.Unlock()
	return nil
}

// Reset forgets every session, code, token, registration, queued answer
// and logged request, rewinds the clock, and restores the quirks the
// provider was created with.
//
// The id source moves to a new generation rather than rewinding: values
// handed out before the reset are never handed out again, so an old
// cookie or token cannot become the next user's. With [WithStateDir] the
// state file is rewritten: the registered clients are forgotten there too.
func (p *Provider) Reset() {
	p.clock.reset()
	p.ids.reset()
	p.keys.reset()
	p.resetState()
	if err := errors.Join(p.ensureKeys(), p.saveState()); err != nil {
		p.log.Error("state not saved after the reset", "err", err)
	}
	p.reqLog.clear()
}

// SetQuirks replaces the active quirks.
func (p *Provider) SetQuirks(q ...Quirk) error {
	for _, name := range q {
		if !knownQuirk(name) {
			return fmt.Errorf("mockprovider: unknown quirk %q; known quirks: %s", name, knownQuirkNames())
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quirks = map[Quirk]bool{}
	for _, name := range q {
		p.quirks[name] = true
	}
	return nil
}

// ActiveQuirks lists the quirks in force, in catalog order.
func (p *Provider) ActiveQuirks() []Quirk {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Quirk
	for _, q := range quirkInfo {
		if p.quirks[q.Name] {
			out = append(out, q.Name)
		}
	}
	return out
}

func (p *Provider) quirk(q Quirk) bool {
	p.consult(q)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.quirks[q]
}

// Clients lists the registered clients, fixtures first.
func (p *Provider) Clients() []Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Client, 0, len(p.st.clientOrder))
	for _, id := range p.st.clientOrder {
		out = append(out, *p.st.clients[id])
	}
	return out
}

// Users lists the users who can sign in, fixtures first.
func (p *Provider) Users() []User {
	out := make([]User, 0, len(p.cfg.users))
	for _, u := range p.cfg.users {
		out = append(out, u)
	}
	return out
}

// Register adds a client. No scopes means the scopes of the default
// clients (openid email profile address phone); no default scopes with
// them means email. An empty ID or Secret (for a confidential client) is
// drawn from the seeded source once the registration is valid, so a
// refused one uses up no seeded value.
func (p *Provider) Register(c Client) (Client, error) {
	if len(c.Scopes) == 0 {
		c.Scopes = slices.Clone(OpenIDScopes)
		if len(c.DefaultScopes) == 0 {
			c.DefaultScopes = []string{"email"}
		}
	}
	if err := c.validateIdentity(true); err != nil {
		return Client{}, fmt.Errorf("mockprovider: %w", err)
	}
	if err := c.validateSettings(); err != nil {
		return Client{}, fmt.Errorf("mockprovider: %w", err)
	}
	if c.ID == "" {
		c.ID = p.ids.String(clientIDLength)
	}
	if c.Secret == "" && !c.Public {
		c.Secret = p.ids.String(clientSecretLength)
	}
	c.applyDefaults()
	p.mu.Lock()
	if _, dup := p.st.clients[c.ID]; dup {
		p.mu.Unlock()
		return Client{}, fmt.Errorf("mockprovider: client_id %q is already registered", c.ID)
	}
	p.st.addClient(c)
	p.mu.Unlock()
	if err := p.saveState(); err != nil {
		p.mu.Lock()
		p.st.removeClient(c.ID)
		p.mu.Unlock()
		return Client{}, err
	}
	p.log.Info("client registered", "client_id", c.ID, "redirect_uris", c.RedirectURIs)
	return c, nil
}

// policyFor is the redirect matching policy in force for a client: a
// redirect quirk's, else the client's own, else the provider's.
func (p *Provider) policyFor(c *Client) RedirectPolicy {
	if pol, ok := p.quirkPolicy(); ok {
		return pol
	}
	return p.clientPolicy(c)
}

// quirkPolicy is the policy of the redirect quirk in force, if any; it
// consults every redirect quirk until it finds one.
func (p *Provider) quirkPolicy() (RedirectPolicy, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range quirkInfo {
		if pol, ok := quirkRedirectPolicy[q.Name]; ok {
			p.consult(q.Name)
			if p.quirks[q.Name] {
				return pol, true
			}
		}
	}
	return "", false
}

// clientPolicy is the client's policy, else the provider's.
func (p *Provider) clientPolicy(c *Client) RedirectPolicy {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.RedirectPolicy != "" {
		return c.RedirectPolicy
	}
	return p.cfg.policy
}

// recordingWriter remembers the status and Location of a response.
type recordingWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *recordingWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status = status
		w.wrote = true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// baseURL is the provider's own URL: the configured issuer, else derived
// from the request.
func (p *Provider) baseURL(r *http.Request) string {
	if p.cfg.issuer != "" {
		return strings.TrimSuffix(p.cfg.issuer, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
