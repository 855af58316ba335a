package clientapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// openID is the App's OpenID Connect relying party (OIDC Core §3.1.3.7):
// go-oidc's discovery, JWKS cache and id_token verifier for the
// configured issuer, created at the first sign-in and kept once it
// succeeded.
type openID struct {
	issuer   string
	clientID string
	client   *http.Client
	now      func() time.Time

	mu         sync.Mutex
	verifier   *oidc.IDTokenVerifier
	endSession string
	issParam   bool // authorization_response_iss_parameter_supported (RFC 9207 §3)
}

// IDTokenError is an id_token the App refused: the check that failed
// (discovery, missing, signature, alg, iss, aud, exp, nbf, nonce, at_hash)
// and why.
type IDTokenError struct {
	Check string
	Err   error
}

func (e *IDTokenError) Error() string {
	return fmt.Sprintf("clientapp: id_token check %s failed: %v", e.Check, e.Err)
}

func (e *IDTokenError) Unwrap() error { return e.Err }

// load fetches the discovery document (OpenID Connect Discovery 1.0 §4),
// whose issuer go-oidc requires to equal the configured one (§4.3).
func (o *openID) load(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.verifier != nil {
		return o.verifier, nil
	}
	// The key set fetches keys later with this context's HTTP client, not
	// with its deadline (go-oidc keeps only the client).
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.issuer)
	if err != nil {
		return nil, err
	}
	var md struct {
		EndSession string `json:"end_session_endpoint"`
		IssParam   bool   `json:"authorization_response_iss_parameter_supported"`
	}
	if err := p.Claims(&md); err != nil {
		return nil, err
	}
	o.endSession, o.issParam = md.EndSession, md.IssParam
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.clientID, Now: o.now})
	return o.verifier, nil
}

// endSessionEndpoint is the provider's end_session_endpoint (OpenID
// Connect RP-Initiated Logout 1.0 §2.1), or "" when it has none or
// discovery has not run.
func (o *openID) endSessionEndpoint() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.endSession
}

// issRequired reports whether the provider sends iss on authorization responses.
func (o *openID) issRequired() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issParam
}

// verify checks the token response's id_token: signature against the
// JWKS, iss, aud, exp (go-oidc), the nonce sent (OIDC Core §3.1.3.7 #11)
// and at_hash when present (§3.2.2.9, recommended for the code flow too).
// It returns the verified claims.
func (o *openID) verify(ctx context.Context, tok *oauth2.Token, nonce string) (map[string]any, *IDTokenError) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, &IDTokenError{Check: "missing", Err: errors.New("the token response has no id_token although scope openid was requested (OIDC Core §3.1.3.3)")}
	}
	v, err := o.load(ctx)
	if err != nil {
		return nil, &IDTokenError{Check: "discovery", Err: err}
	}
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, &IDTokenError{Check: verifyCheck(err), Err: err}
	}
	if idt.Nonce != nonce {
		return nil, &IDTokenError{Check: "nonce", Err: fmt.Errorf("the id_token's nonce %q is not the %q this sign-in sent", idt.Nonce, nonce)}
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, &IDTokenError{Check: "at_hash", Err: err}
		}
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, &IDTokenError{Check: "claims", Err: err}
	}
	return claims, nil
}

// verifyCheck names the check of an error of go-oidc's Verify, whose
// errors are strings (except for the expiry).
func verifyCheck(err error) string {
	if _, ok := errors.AsType[*oidc.TokenExpiredError](err); ok {
		return "exp"
	}
	msg := err.Error()
	for _, c := range []struct{ check, says string }{
		{"alg", "unexpected signature algorithm"},
		{"signature", "failed to verify signature"},
		{"iss", "issued by a different provider"},
		{"aud", "expected audience"},
		{"nbf", "nbf"},
		{"format", "malformed jwt"},
	} {
		if strings.Contains(msg, c.says) {
			return c.check
		}
	}
	return "id_token"
}

// wantsOpenID reports whether the scopes make sign-ins OpenID Connect
// authentication requests (OIDC Core §3.1.2.1).
func wantsOpenID(scopes []string) bool { return slices.Contains(scopes, "openid") }

// idTokenClaimsJSON is the verified claims as the /authorized page shows
// them, or nil.
func idTokenClaimsJSON(claims map[string]any) json.RawMessage {
	if claims == nil {
		return nil
	}
	b, err := json.Marshal(claims)
	if err != nil {
		return nil
	}
	return b
}

// verifyIDToken verifies the id_token of an OpenID sign-in; it returns the claims, or the page
// naming the check that failed.
func (a *App) verifyIDToken(ctx context.Context, tok *oauth2.Token, nonce string) (map[string]any, *page) {
	if a.oidc == nil {
		return nil, nil
	}
	ctx = oidc.ClientContext(ctx, a.client)
	claims, err := a.oidc.verify(ctx, tok, nonce)
	if err != nil {
		a.log.Warn("clientapp: id_token rejected", "check", err.Check, "err", err.Err)
		return nil, &page{Status: http.StatusBadGateway, Title: "id_token rejected",
			Message: fmt.Sprintf("The id_token failed the %s check: %v", err.Check, err.Err),
			Hint:    "No session was started. OpenID Connect Core 1.0 §3.1.3.7 lists the checks."}
	}
	return claims, nil
}

// checkIss compares the callback's iss with the issuer (RFC 9207 §2.4), which defends against
// mix-up attacks. A callback without iss passes, unless the OpenID Provider's discovery document
// says that it sends one.
func (a *App) checkIss(ctx context.Context, q url.Values) *page {
	iss, ok := q["iss"]
	if !ok && a.oidc != nil {
		if _, err := a.oidc.load(oidc.ClientContext(ctx, a.client)); err == nil && a.oidc.issRequired() {
			return &page{Status: http.StatusBadRequest, Title: "issuer mismatch",
				Message: "The callback has no iss parameter although the provider advertises authorization_response_iss_parameter_supported (RFC 9207 §2.4). No token was requested."}
		}
	}
	if !ok || a.cfg.Issuer == "" || iss[0] == a.cfg.Issuer {
		return nil
	}
	a.log.Warn("clientapp: callback from another issuer", "iss", iss[0], "issuer", a.cfg.Issuer)
	return &page{Status: http.StatusBadRequest, Title: "issuer mismatch",
		Message: fmt.Sprintf("The callback's iss %q is not the issuer %q this client signs in with (RFC 9207 §2.4). No token was requested.", iss[0], a.cfg.Issuer)}
}

// endSessionURL is where /logout sends the browser: the provider's end_session_endpoint with
// id_token_hint, client_id and post_logout_redirect_uri (the App's home, which must be registered),
// or / when the provider offers no such endpoint or the session has no id_token.
func (a *App) endSessionURL(tok *oauth2.Token) string {
	raw, _ := tok.Extra("id_token").(string)
	if a.oidc == nil || raw == "" {
		return "/"
	}
	endpoint := a.oidc.endSessionEndpoint()
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil {
		return "/"
	}
	q := u.Query()
	q.Set("id_token_hint", raw)
	q.Set("client_id", a.cfg.ClientID)
	q.Set("post_logout_redirect_uri", a.home)
	u.RawQuery = q.Encode()
	return u.String()
}
