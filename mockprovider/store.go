package mockprovider

import (
	"maps"
	"slices"
	"time"
)

// state is everything the provider remembers; Provider.mu guards it.
type state struct {
	clients     map[string]*Client
	clientOrder []string
	users       map[string]*User
	sessions    map[string]*session
	consents    map[string]*pendingConsent
	codes       map[string]*authCode
	tokens      map[string]*token
}

type session struct {
	id       string
	username string
	// csrf protects the forms a signed-in user posts (register, logout).
	csrf string
	// authTime is when the user signed in (OIDC Core §2 auth_time).
	authTime time.Time
	// consented are the scopes the user allowed each client, for
	// prompt=none (OIDC Core §3.1.2.6 consent_required).
	consented map[string][]string
}

// authorizeRequest is a validated authorization request (RFC 6749 §4.1.1).
type authorizeRequest struct {
	client      *Client
	redirectURI string
	// redirectGiven records whether redirect_uri was in the request, which
	// makes it required at the token endpoint (RFC 6749 §4.1.3).
	redirectGiven bool
	scopes        []string
	state         string
	challenge     string
	method        string
	// omitScope is set when the scope-unknown-granted-silently quirk
	// dropped a scope the client asked for.
	omitScope bool
	// openID holds the OpenID Connect parameters (OIDC Core §3.1.2.1).
	openID openIDRequest
	// authTime is when the user who grants the request signed in.
	authTime time.Time
	// respondTo, when set, is where the response goes instead of
	// redirectURI: a provider profile may send it elsewhere (Entra adds a
	// "/" to an empty path).
	respondTo string
}

// target is the URI the authorization response is sent to.
func (r *authorizeRequest) target() string {
	if r.respondTo != "" {
		return r.respondTo
	}
	return r.redirectURI
}

type pendingConsent struct {
	id        string
	sessionID string
	req       authorizeRequest
}

type authCode struct {
	value         string
	clientID      string
	username      string
	scopes        []string
	redirectURI   string
	redirectGiven bool
	challenge     string
	method        string
	omitScope     bool
	nonce         string
	authTime      time.Time
	expiresAt     time.Time
	used          bool
	// issued are the tokens issued for this code, revoked if it is reused.
	issued []string
}

type tokenKind string

const (
	accessToken  tokenKind = "access_token"
	refreshToken tokenKind = "refresh_token"
)

type token struct {
	value     string
	kind      tokenKind
	clientID  string
	username  string
	scopes    []string
	issuedAt  time.Time
	expiresAt time.Time
	revoked   bool
	// issuer, authTime and refreshed say how an id_token issued beside
	// the token is made (OIDC Core §2, §12.2); nonce is the code's.
	issuer    string
	authTime  time.Time
	nonce     string
	refreshed bool
	// pair is the refresh token of an access token and back.
	pair string
	// code is the authorization code the token descends from (through
	// refreshes too); empty for client_credentials.
	code string
}

func (t *token) activeAt(now time.Time) bool {
	return !t.revoked && now.Before(t.expiresAt)
}

func (p *Provider) resetState() {
	st := &state{
		clients:  map[string]*Client{},
		users:    map[string]*User{},
		sessions: map[string]*session{},
		consents: map[string]*pendingConsent{},
		codes:    map[string]*authCode{},
		tokens:   map[string]*token{},
	}
	for _, c := range p.cfg.clients {
		st.addClient(c)
	}
	for _, u := range p.cfg.users {
		u := u
		st.users[u.Username] = &u
	}
	quirks := map[Quirk]bool{}
	for _, q := range p.cfg.quirks {
		quirks[q] = true
	}
	p.mu.Lock()
	p.st = st
	p.quirks = quirks
	p.injected = map[string][]injected{}
	p.mu.Unlock()
}

func (st *state) addClient(c Client) {
	c.RedirectURIs = slices.Clone(c.RedirectURIs)
	c.Scopes = slices.Clone(c.Scopes)
	c.DefaultScopes = slices.Clone(c.DefaultScopes)
	c.PostLogoutRedirectURIs = slices.Clone(c.PostLogoutRedirectURIs)
	c.Claims = maps.Clone(c.Claims)
	st.clients[c.ID] = &c
	st.clientOrder = append(st.clientOrder, c.ID)
}

// client returns a copy of the registered client, or nil.
func (p *Provider) client(id string) *Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.st.clients[id]
	if !ok {
		return nil
	}
	cp := *c
	return &cp
}

// lookupToken returns a copy of the token, or nil.
func (p *Provider) lookupToken(value string) *token {
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.st.tokens[value]
	if !ok {
		return nil
	}
	cp := *t
	return &cp
}

// revoke revokes the tokens and their pairs. p.mu must be held.
func (st *state) revoke(values ...string) {
	for _, v := range values {
		if t, ok := st.tokens[v]; ok {
			t.revoked = true
			if pt, ok := st.tokens[t.pair]; ok {
				pt.revoked = true
			}
		}
	}
}
