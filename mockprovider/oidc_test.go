package mockprovider_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// openIDParams is an OpenID Connect authentication request of the seed
// client (OIDC Core §3.1.2.1).
func openIDParams(extra ...string) url.Values {
	return seedParams(append([]string{"scope", "openid email profile", "nonce", "n-0S6_WzA2Mj"}, extra...)...)
}

// relyingParty is what an application does with go-oidc, a relying-party
// library nobody here wrote: discovery, JWKS, Verify (iss, aud, exp,
// signature), then the nonce, at_hash and UserInfo sub checks that
// go-oidc leaves to its caller.
type relyingParty struct {
	srv      *mockprovider.Server
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

func newRelyingParty(t *testing.T, srv *mockprovider.Server, clientID string) *relyingParty {
	t.Helper()
	ctx := oidc.ClientContext(context.Background(), testHTTP)
	p, err := oidc.NewProvider(ctx, srv.URL)
	require.NoError(t, err, "go-oidc discovery")
	return &relyingParty{srv: srv, provider: p, verifier: p.Verifier(&oidc.Config{ClientID: clientID, Now: srv.Now})}
}

// check verifies a token response the way an application must, and names
// the check that failed.
func (rp *relyingParty) check(tr mockprovider.TokenResponse, nonce string) (*oidc.IDToken, error) {
	ctx := oidc.ClientContext(context.Background(), testHTTP)
	idt, err := rp.verifier.Verify(ctx, tr.IDToken)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	if idt.Nonce != nonce {
		return nil, fmt.Errorf("nonce: got %q, sent %q", idt.Nonce, nonce)
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tr.AccessToken); err != nil {
			return nil, fmt.Errorf("at_hash: %w", err)
		}
	}
	ui, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tr.AccessToken, TokenType: "Bearer"}))
	if err != nil {
		return nil, fmt.Errorf("userinfo: %w", err)
	}
	if ui.Subject != idt.Subject {
		return nil, fmt.Errorf("userinfo sub %q differs from the id_token's %q", ui.Subject, idt.Subject)
	}
	return idt, nil
}

// refreshSub refreshes tr and returns the sub of the refreshed id_token
// as go-oidc verifies it.
func (rp *relyingParty) refreshSub(t *testing.T, tr mockprovider.TokenResponse) (string, error) {
	t.Helper()
	res := postForm(t, rp.srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}})
	refreshed := tokens(t, res)
	if refreshed.IDToken == "" {
		return "", errors.New("the refresh returned no id_token")
	}
	idt, err := rp.verifier.Verify(oidc.ClientContext(context.Background(), testHTTP), refreshed.IDToken)
	if err != nil {
		return "", err
	}
	return idt.Subject, nil
}

func TestGoOIDCVerifiesTheMocksIDTokens(t *testing.T) {
	t.Parallel()
	for _, alg := range mockprovider.SigningAlgs() {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			clients := mockprovider.DefaultClients()
			clients[0].IDTokenSignedResponseAlg = alg
			srv := mockprovider.NewTestServer(t, mockprovider.WithClients(clients...))
			rp := newRelyingParty(t, srv, mockprovider.SeedClientID)
			tr := userTokens(t, srv, openIDParams())
			idt, err := rp.check(tr, "n-0S6_WzA2Mj")
			require.NoError(t, err)
			assert.Equal(t, mockprovider.DefaultSubject("alice"), idt.Subject)
			assert.Equal(t, srv.URL, idt.Issuer)
			var claims struct {
				Email  string   `json:"email"`
				Name   string   `json:"name"`
				Groups []string `json:"groups"`
			}
			require.NoError(t, idt.Claims(&claims))
			assert.Equal(t, "alice@example.com", claims.Email)
			assert.Equal(t, "Alice Liddell", claims.Name)
			assert.Equal(t, []string{"readers", "admins"}, claims.Groups, "custom claims reach the id_token")
			sub, err := rp.refreshSub(t, tr)
			require.NoError(t, err)
			assert.Equal(t, idt.Subject, sub, "a refresh keeps sub (OIDC Core §12.2)")
		})
	}
}

// tokenQuirks are the OpenID quirks that change what a relying party
// receives: go-oidc, used as an application must use it, rejects each.
var tokenQuirks = []mockprovider.Quirk{
	mockprovider.QuirkIDTokenWrongAudience, mockprovider.QuirkIDTokenNonceDropped, mockprovider.QuirkIDTokenUnsigned,
	mockprovider.QuirkIssuerTrailingSlash, mockprovider.QuirkJWKSMissingKid, mockprovider.QuirkUserinfoSubMismatch,
	mockprovider.QuirkIDTokenExpired, mockprovider.QuirkIDTokenFutureIat, mockprovider.QuirkIDTokenHS256,
	mockprovider.QuirkAtHashWrong, mockprovider.QuirkNonceInvented, mockprovider.QuirkRefreshSubChanged,
}

func TestGoOIDCRejectsEachQuirksTokens(t *testing.T) {
	t.Parallel()
	for _, q := range tokenQuirks {
		t.Run(string(q), func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, mockprovider.WithQuirks(q))
			rp := newRelyingParty(t, srv, mockprovider.SeedClientID)
			nonce := "n-0S6_WzA2Mj"
			params := openIDParams()
			if q == mockprovider.QuirkNonceInvented {
				nonce, params = "", openIDParams("nonce", "")
			}
			tr := userTokens(t, srv, params)
			idt, err := rp.check(tr, nonce)
			if q == mockprovider.QuirkRefreshSubChanged {
				require.NoError(t, err, "the first id_token is fine")
				sub, err := rp.refreshSub(t, tr)
				require.NoError(t, err)
				assert.NotEqual(t, idt.Subject, sub, "the relying party sees sub change")
				return
			}
			require.Error(t, err, "go-oidc accepted the tokens of quirk %s", q)
			t.Logf("%s rejected: %v", q, err)
		})
	}
}
