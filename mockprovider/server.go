package mockprovider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"golang.org/x/oauth2"
)

// Server is a [Provider] listening on a loopback port, for tests; its
// lifecycle is that of [httptest.Server].
type Server struct {
	// URL is the base URL, http://127.0.0.1:port, without a trailing slash.
	URL string
	// Provider is the handler, for its Go API (Advance, Requests,
	// QueueError, Authorize, ...).
	*Provider

	ts *httptest.Server
}

// Start starts a provider configured by opts on a loopback port, with
// the server's URL as its issuer. The caller must Close it.
func Start(opts ...Option) (*Server, error) {
	s, err := newUnstarted(opts)
	if err != nil {
		return nil, err
	}
	s.ts.Start()
	return s, nil
}

// NewTestServer starts a provider for the test tb and closes it when the
// test ends ([testing.TB.Cleanup]); invalid options fail the test.
func NewTestServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// NewServer is [Start] for code that treats a failure as a bug: like
// [httptest.NewServer] it panics when it cannot start (here also on
// invalid options). The caller must Close it.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a server that listens on a loopback port but
// does not serve until [Server.Start] is called. It panics on invalid
// options.
func NewUnstartedServer(opts ...Option) *Server {
	s, err := newUnstarted(opts)
	if err != nil {
		panic(fmt.Sprintf("mockprovider.NewServer: %v", err))
	}
	return s
}

func newUnstarted(opts []Option) (*Server, error) {
	s := &Server{}
	var p *Provider
	// The handler needs the URL as its issuer: listen first, build after
	// (the issuer is only known once the port is).
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.ServeHTTP(w, r)
	}))
	s.URL = "http://" + s.ts.Listener.Addr().String()
	p, err := New(append(slices.Clone(opts), WithIssuer(s.URL))...)
	if err != nil {
		s.ts.Close()
		return nil, err
	}
	s.Provider = p
	return s, nil
}

// Start starts serving a server from [NewUnstartedServer].
func (s *Server) Start() { s.ts.Start() }

// Close shuts the server down and waits for outstanding requests.
func (s *Server) Close() { s.ts.Close() }

// Client returns an HTTP client for the server, as [httptest.Server.Client]
// does: it follows redirects.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// NoRedirectClient returns an HTTP client for the server that does not
// follow redirects, so that authorization responses (302 to the client's
// redirect URI) can be inspected.
func (s *Server) NoRedirectClient() *http.Client {
	c := *s.ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// Endpoint returns the provider's endpoints for golang.org/x/oauth2.
func (s *Server) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:  s.URL + PathAuthorize,
		TokenURL: s.URL + PathToken,
	}
}

// MeURL is the URL of the seed's protected resource, /oauth/api/me.
func (s *Server) MeURL() string { return s.URL + PathMe }

// OAuth2Config returns a configuration for the first registered client
// whose redirect URIs hold redirectURL; when none does, a new client is
// registered for it. Scope defaults to the client's default scopes; the
// endpoint's AuthStyle is the client's authentication method
// (client_secret_basic unless it is registered for client_secret_post).
func (s *Server) OAuth2Config(redirectURL string, scopes ...string) *oauth2.Config {
	var client *Client
	for _, c := range s.Clients() {
		if !c.Public && slices.Contains(c.RedirectURIs, redirectURL) {
			client = &c
			break
		}
	}
	if client == nil {
		c, err := s.Register(Client{Name: "test client for " + redirectURL, RedirectURIs: []string{redirectURL}})
		if err != nil {
			panic(fmt.Sprintf("mockprovider: OAuth2Config: %v", err))
		}
		client = &c
	}
	if len(scopes) == 0 {
		scopes = client.defaultScopes()
	}
	ep := s.Endpoint()
	// The client's own method, not AutoDetect: AutoDetect retries a failed
	// request the other way, which would swallow an error queued with
	// QueueError.
	ep.AuthStyle = oauth2.AuthStyleInHeader
	if client.AuthMethod == AuthMethodPost {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     client.ID,
		ClientSecret: client.Secret,
		Endpoint:     ep,
		RedirectURL:  redirectURL,
		Scopes:       scopes,
	}
}
