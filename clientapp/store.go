package clientapp

import (
	"crypto/rand"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/fifomap"
)

const (
	stateTTL   = 10 * time.Minute // lifetime of a sign-in in progress and of its state cookie
	sessionTTL = 24 * time.Hour   // lifetime of a signed-in session
	// maxEntries bounds each map: past it the oldest entry is forgotten, so that a flood of
	// requests can neither grow memory nor lock everyone else out.
	maxEntries = 10000
)

// pendingAuth is a sign-in in progress: the authorization request was sent, the callback has not
// come back yet. It is keyed by its state value and used at most once.
type pendingAuth struct {
	verifier string // PKCE code_verifier; empty when PKCE is off
	nonce    string // OpenID Connect nonce (OIDC Core §3.1.2.1); empty without scope openid
	expires  time.Time
}

// session is a signed-in browser, keyed by the random id in its session cookie.
type session struct {
	token   *oauth2.Token
	expires time.Time
}

// store holds the App's server-side state, safe for concurrent use.
type store struct {
	mu       sync.Mutex
	pending  *fifomap.Map[pendingAuth]
	sessions *fifomap.Map[session]
}

func newStore() *store {
	return &store{pending: fifomap.New[pendingAuth](maxEntries), sessions: fifomap.New[session](maxEntries)}
}

// newID returns 128 bits from crypto/rand, base32-encoded.
func newID() string { return rand.Text() }

// addPending records a sign-in in progress under its state. When maxEntries are in progress, the
// expired ones are dropped and, if none had expired, the oldest is forgotten: its callback will be
// a state mismatch, and everyone else can still sign in.
func (s *store) addPending(state string, p pendingAuth, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending.Len() >= maxEntries {
		s.pending.DeleteFunc(func(_ string, p pendingAuth) bool { return !now.Before(p.expires) })
	}
	s.pending.Put(state, p)
}

// takePending removes and returns the unexpired sign-in recorded under state: each state works once.
func (s *store) takePending(state string, now time.Time) (pendingAuth, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending.Get(state)
	s.pending.Delete(state)
	return p, ok && now.Before(p.expires)
}

// addSession records a signed-in session and returns its new id. Past maxEntries sessions, the
// expired ones are dropped, else the oldest is signed out.
func (s *store) addSession(tok *oauth2.Token, now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions.Len() >= maxEntries {
		s.sessions.DeleteFunc(func(_ string, v session) bool { return !now.Before(v.expires) })
	}
	id := newID()
	s.sessions.Put(id, session{token: tok, expires: now.Add(sessionTTL)})
	return id
}

// token returns the token of the unexpired session id.
func (s *store) token(id string, now time.Time) (*oauth2.Token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sessions.Get(id)
	if ok && !now.Before(v.expires) {
		s.sessions.Delete(id)
		return nil, false
	}
	return v.token, ok
}

func (s *store) deleteSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions.Delete(id)
}
