package clientapp

import (
	"crypto/rand"
	"errors"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

const (
	stateTTL   = 10 * time.Minute // lifetime of a sign-in in progress and of its state cookie
	sessionTTL = 24 * time.Hour   // lifetime of a signed-in session
	maxEntries = 10000            // bound on each map, so that a flood of requests cannot grow it forever
)

var errStoreFull = errors.New("clientapp: too many sign-ins in progress or sessions")

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
	pending  map[string]pendingAuth
	sessions map[string]session
}

func newStore() *store {
	return &store{pending: map[string]pendingAuth{}, sessions: map[string]session{}}
}

// newID returns 128 bits from crypto/rand, base32-encoded.
func newID() string { return rand.Text() }

// addPending records a sign-in in progress under its state.
func (s *store) addPending(state string, p pendingAuth, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) >= maxEntries {
		sweep(s.pending, now, func(p pendingAuth) time.Time { return p.expires })
		if len(s.pending) >= maxEntries {
			return errStoreFull
		}
	}
	s.pending[state] = p
	return nil
}

// takePending removes and returns the unexpired sign-in recorded under state: each state works once.
func (s *store) takePending(state string, now time.Time) (pendingAuth, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending[state]
	delete(s.pending, state)
	return p, ok && now.Before(p.expires)
}

// addSession records a signed-in session and returns its new id.
func (s *store) addSession(tok *oauth2.Token, now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= maxEntries {
		sweep(s.sessions, now, func(v session) time.Time { return v.expires })
		if len(s.sessions) >= maxEntries {
			return "", errStoreFull
		}
	}
	id := newID()
	s.sessions[id] = session{token: tok, expires: now.Add(sessionTTL)}
	return id, nil
}

// token returns the token of the unexpired session id.
func (s *store) token(id string, now time.Time) (*oauth2.Token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sessions[id]
	if ok && !now.Before(v.expires) {
		delete(s.sessions, id)
		return nil, false
	}
	return v.token, ok
}

func (s *store) deleteSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// sweep deletes the expired entries of m; the caller holds the lock.
func sweep[V any](m map[string]V, now time.Time, expires func(V) time.Time) {
	for k, v := range m {
		if !now.Before(expires(v)) {
			delete(m, k)
		}
	}
}
