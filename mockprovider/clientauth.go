package mockprovider

import (
	"crypto/subtle"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// authenticateClient authenticates the client by client_secret_basic,
// client_secret_post, or (for public clients) client_id alone (RFC 6749
// §2.3).
func (p *Provider) authenticateClient(r *http.Request, form url.Values, qs quirkSet) (*Client, *Error) {
	var id, secret, method string
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, _, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Basic") {
			return nil, ErrInvalidClient.WithDescription("the Authorization header uses %q; the token endpoint takes Basic client credentials", textcut.Cut(scheme, 20))
		}
		rawID, rawSecret, ok := r.BasicAuth()
		var err1, err2 error
		id, err1 = url.QueryUnescape(rawID)
		secret, err2 = url.QueryUnescape(rawSecret)
		if !ok || err1 != nil || err2 != nil {
			return nil, ErrInvalidClient.WithDescription("malformed Basic credentials (RFC 6749 §2.3.1)")
		}
		if form.Get("client_secret") != "" {
			return nil, ErrInvalidRequest.WithDescription("the client used more than one authentication method (RFC 6749 §2.3)")
		}
		if bodyID := form.Get("client_id"); bodyID != "" && bodyID != id {
			return nil, ErrInvalidRequest.WithDescription("client_id in the body differs from the Basic credentials")
		}
		method = AuthMethodBasic
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
		method = AuthMethodPost
		if secret == "" {
			method = "none"
		}
	}
	if id == "" {
		return nil, ErrInvalidClient.WithDescription("client authentication is missing")
	}
	c := p.client(id)
	switch {
	case c == nil:
		return nil, ErrInvalidClient.WithDescription("unknown client")
	case c.Public:
		if method != "none" {
			return nil, ErrInvalidClient.WithDescription("this public client has no secret")
		}
		return c, nil
	case method == "none":
		return nil, ErrInvalidClient.WithDescription("client authentication is missing")
	case c.AuthMethod != "" && c.AuthMethod != method:
		return nil, ErrInvalidClient.WithDescription("this client must authenticate with %s", c.AuthMethod)
	case subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 && !qs.has(QuirkClientSecretIgnored):
		return nil, ErrInvalidClient.WithDescription("client authentication failed")
	}
	return c, nil
}

// authenticatedPost parses a POST form and authenticates its client, as
// the revocation and introspection endpoints need.
func (p *Provider) authenticatedPost(w http.ResponseWriter, r *http.Request) (url.Values, *Client, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		p.tokenError(w, quirkSet{}, ErrInvalidRequest.WithStatus(http.StatusMethodNotAllowed).WithDescription("use POST"))
		return nil, nil, false
	}
	form, e := parseForm(w, r)
	if e == nil {
		for _, name := range slices.Sorted(maps.Keys(form)) {
			if _, e = param(form, name, false); e != nil {
				break
			}
		}
	}
	if e != nil {
		p.tokenError(w, quirkSet{}, e)
		return nil, nil, false
	}
	client, e := p.authenticateClient(r, form, p.quirkSet())
	if e != nil {
		p.tokenError(w, quirkSet{}, e)
		return nil, nil, false
	}
	return form, client, true
}

// tokenParam reads the token parameter of an authenticated POST to the
// revocation (RFC 7009 §2.1) or introspection (RFC 7662 §2.1) endpoint.
func (p *Provider) tokenParam(w http.ResponseWriter, r *http.Request) (string, *Client, bool) {
	form, client, ok := p.authenticatedPost(w, r)
	if !ok {
		return "", nil, false
	}
	value := form.Get("token")
	if value == "" {
		p.tokenError(w, quirkSet{}, ErrInvalidRequest.WithDescription("token is missing"))
		return "", nil, false
	}
	return value, client, true
}
