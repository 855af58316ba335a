package mockprovider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"golang.org/x/oauth2"
)

// Authorize runs the authorization step (RFC 6749 §4.1.1–§4.1.2) without
// a browser: it answers the authorization request authURL, as a client
// builds it with [oauth2.Config.AuthCodeURL], as if username had signed
// in and approved it, and returns where the provider sends the browser:
// the client's redirect URI with code and state, or with error,
// error_description and state. Every rule of the authorization endpoint
// applies (scopes, PKCE, quirks, [Provider.QueueError]); only the login
// and consent pages are skipped. A request the provider refuses without
// redirecting (unknown client, unregistered redirect URI) gives an
// [*Error], as does an unknown user.
func (p *Provider) Authorize(username, authURL string) (*url.URL, error) {
	if !p.hasUser(username) {
		return nil, ErrAccessDenied.WithDescription("no user %q", username)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, ErrInvalidRequest.WithDescription("authorization URL: %v", err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, ErrInvalidRequest.WithDescription("authorization URL: %v", err)
	}
	if _, pe := p.checkClientAndRedirect(q); pe != nil {
		return nil, ErrInvalidRequest.WithDescription("%s: %s", pe.title, pe.message)
	}
	r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: PathAuthorize, RawQuery: u.RawQuery}, Header: http.Header{}}
	rec := httptest.NewRecorder()
	p.answerAuthorize(rec, r, username)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusFound || loc == "" {
		return nil, ErrServerError.WithDescription("the authorization endpoint answered %d without a redirect", rec.Code)
	}
	return url.Parse(loc)
}

// AuthorizationCode gets an authorization code for conf's client as
// username would by signing in and approving: it builds the request with
// conf.AuthCodeURL(state, opts...) (add [oauth2.S256ChallengeOption] for
// PKCE), runs [Provider.Authorize] and returns the code. An error the
// provider redirects to the client is returned as an [*Error] (match it
// with [errors.Is], e.g. against [ErrInvalidScope]); a state that does
// not come back unchanged is an error too.
func (p *Provider) AuthorizationCode(username string, conf *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) (string, error) {
	back, err := p.Authorize(username, conf.AuthCodeURL(state, opts...))
	if err != nil {
		return "", err
	}
	q := back.Query()
	if code := q.Get("error"); code != "" {
		return "", redirectedError(code, q.Get("error_description"))
	}
	if got := q.Get("state"); got != state {
		return "", fmt.Errorf("mockprovider: state %q came back as %q", state, got)
	}
	if q.Get("code") == "" {
		return "", errors.New("mockprovider: the redirect carries neither code nor error")
	}
	return q.Get("code"), nil
}

// Token signs username in to conf's client without a browser and
// returns the client's token: [Provider.AuthorizationCode] with PKCE
// (S256, [oauth2.GenerateVerifier]), then the code exchange at the token
// endpoint over HTTP. Without an [oauth2.HTTPClient] in ctx it uses
// [Server.Client].
func (s *Server) Token(ctx context.Context, username string, conf *oauth2.Config) (*oauth2.Token, error) {
	verifier := oauth2.GenerateVerifier()
	code, err := s.AuthorizationCode(username, conf, "mockprovider-token", oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return nil, err
	}
	if ctx.Value(oauth2.HTTPClient) == nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.Client())
	}
	return conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

// redirectedError is the [*Error] of an error redirected to the client,
// with the status of the provider's sentinel of that code.
func redirectedError(code, description string) *Error {
	e := &Error{Code: code, Description: description, Status: http.StatusBadRequest}
	for _, s := range []*Error{ErrInvalidRequest, ErrUnauthorizedClient, ErrAccessDenied, ErrUnsupportedResponseType, ErrInvalidScope, ErrServerError} {
		if s.Code == code {
			e.Status = s.Status
		}
	}
	return e
}

func (p *Provider) hasUser(username string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.st.users[username]
	return ok
}
