package clientapp

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestStorePendingIsOneTimeAndExpires(t *testing.T) {
	t.Parallel()
	s, now := newStore(), time.Now()
	s.addPending("a", pendingAuth{verifier: "v", expires: now.Add(time.Minute)}, now)
	s.addPending("b", pendingAuth{expires: now.Add(time.Minute)}, now)

	p, ok := s.takePending("a", now)
	assert.True(t, ok)
	assert.Equal(t, "v", p.verifier)
	_, ok = s.takePending("a", now)
	assert.False(t, ok, "used once")
	_, ok = s.takePending("b", now.Add(time.Minute))
	assert.False(t, ok, "expired")
	_, ok = s.takePending("unknown", now)
	assert.False(t, ok)
}

func TestStoreSessionsExpire(t *testing.T) {
	t.Parallel()
	s, now := newStore(), time.Now()
	id := s.addSession(&oauth2.Token{AccessToken: "t"}, now)
	other := s.addSession(&oauth2.Token{AccessToken: "u"}, now)
	assert.NotEqual(t, id, other)
	assert.Len(t, id, 26) // 128 bits, base32

	tok, ok := s.token(id, now.Add(sessionTTL-time.Second))
	require.True(t, ok)
	assert.Equal(t, "t", tok.AccessToken)
	_, ok = s.token(id, now.Add(sessionTTL))
	assert.False(t, ok)
	s.deleteSession(other)
	_, ok = s.token(other, now)
	assert.False(t, ok)
}

// TestStoreIsBounded floods the store with sign-ins: the expired ones are
// dropped first, then the oldest, and a new sign-in always gets in (before,
// 10,001 GET / locked everyone out for 10 minutes).
func TestStoreIsBounded(t *testing.T) {
	t.Parallel()
	s, now := newStore(), time.Now()
	for i := range maxEntries {
		s.addPending(fmt.Sprint("p", i), pendingAuth{expires: now.Add(time.Duration(i%2) * time.Hour)}, now)
	}
	// half have expired: adding sweeps them
	s.addPending("next", pendingAuth{expires: now.Add(time.Hour)}, now)
	assert.Equal(t, maxEntries/2+1, s.pending.Len())
	for i := 0; s.pending.Len() < maxEntries; i++ {
		s.addPending(fmt.Sprint("q", i), pendingAuth{expires: now.Add(time.Hour)}, now)
	}
	s.addPending("victim", pendingAuth{expires: now.Add(time.Hour)}, now)
	assert.Equal(t, maxEntries, s.pending.Len())
	_, ok := s.takePending("p1", now)
	assert.False(t, ok, "the oldest sign-in was forgotten")
	_, ok = s.takePending("victim", now)
	assert.True(t, ok, "the newest sign-in still works")

	for range maxEntries + 5 {
		s.addSession(&oauth2.Token{AccessToken: "t"}, now)
	}
	assert.Equal(t, maxEntries, s.sessions.Len())
}

// TestSignInFloodLocksNobodyOut is the attack of issue 9: 10,001 GET /
// from one client, then a real user's sign-in completes.
func TestSignInFloodLocksNobodyOut(t *testing.T) {
	t.Parallel()
	a, err := New(DefaultConfig())
	require.NoError(t, err)
	for range maxEntries + 1 {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:8000/", nil))
		require.Equal(t, http.StatusFound, rec.Code)
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:8000/", nil))
	require.Equal(t, http.StatusFound, rec.Code, "a new sign-in starts")
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	_, ok := a.store.takePending(cookies[0].Value, time.Now())
	assert.True(t, ok, "and is remembered")
}

func TestExpiredSignInIsAStateMismatch(t *testing.T) {
	t.Parallel()
	a, err := New(DefaultConfig())
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:8000/", nil))
	require.Equal(t, http.StatusFound, rec.Code)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)

	a.now = func() time.Time { return time.Now().Add(stateTTL + time.Second) }
	req := httptest.NewRequest(http.MethodGet, "http://localhost:8000/authorized?code=c&state="+cookies[0].Value, nil)
	req.AddCookie(cookies[0])
	rec = httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, rec.Body.String(), "state mismatch: this sign-in is unknown, expired or already used.")
}

func TestPanicIsAFormattedPage(t *testing.T) {
	t.Parallel()
	a, err := New(DefaultConfig())
	require.NoError(t, err)
	a.store = nil // a bug: the next sign-in dereferences nil
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:8000/", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Contains(t, rec.Body.String(), "internal error")
}
