package mockprovider

import (
	"encoding/json"
	"fmt"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
	"time"
)

// Access token formats of [Client.AccessTokenFormat].
const (
	AccessTokenOpaque = "opaque"
	AccessTokenJWT    = "jwt"
)

// jwtAccessTokenRequest is what an RFC 9068 access token is made of.
type jwtAccessTokenRequest struct {
	issuer    string
	client    *Client
	user      *User // nil for client_credentials
	scopes    []string
	jti       string
	issuedAt  time.Time
	expiresAt time.Time
	authTime  time.Time
}

// jwtAccessToken signs an RFC 9068 access token ("typ": "at+jwt", §2.1)
// with the client's id_token algorithm. Its claims are those of RFC 9068
// §2.2 and the custom claims of the client and the user; the audience is
// the issuer, whose own resources (/oauth/api/me, /oauth/userinfo) accept
// it.
func (p *Provider) jwtAccessToken(req jwtAccessTokenRequest, qs quirkSet) (string, error) {
	var claims map[string]any
	if req.user != nil {
		claims = userClaims(req.user, req.client, nil)
		claims["auth_time"] = req.authTime.Unix()
	} else {
		claims = map[string]any{}
		for name, v := range req.client.Claims {
			claims[name] = v
		}
		claims["sub"] = req.client.ID // RFC 9068 §2.2: the client itself
	}
	claims["iss"] = tokenIssuer(req.issuer, qs)
	claims["aud"] = req.issuer
	claims["client_id"] = req.client.ID
	claims["iat"] = req.issuedAt.Unix()
	claims["exp"] = req.expiresAt.Unix()
	claims["jti"] = req.jti
	if len(req.scopes) > 0 {
		claims["scope"] = scope.Join(req.scopes)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("mockprovider: access token claims: %w", err)
	}
	return p.signJWT(req.client.signingAlg(), "at+jwt", payload)
}

// accessTokenValueLocked is the value of a new access token: random, or
// an RFC 9068 JWT (whose jti is the random value) for a client whose
// AccessTokenFormat is jwt. p.mu must be held.
func (p *Provider) accessTokenValueLocked(at *token, qs quirkSet) (string, error) {
	id := p.ids.String(tokenLength)
	c := p.st.clients[at.clientID]
	if c == nil || c.AccessTokenFormat != AccessTokenJWT {
		return id, nil
	}
	req := jwtAccessTokenRequest{issuer: at.issuer, client: c, user: p.st.users[at.username], scopes: at.scopes, jti: id,
		issuedAt: at.issuedAt, expiresAt: at.expiresAt, authTime: at.authTime}
	if at.username == "" {
		req.user = nil
	}
	return p.jwtAccessToken(req, qs)
}
