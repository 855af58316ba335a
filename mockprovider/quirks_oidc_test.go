package mockprovider_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func init() {
	for q, probe := range oidcQuirkProbes() {
		quirkProbes[q] = probe
	}
}

// rejectedByGoOIDC reports whether go-oidc, used as an application must
// use it, refuses the tokens of an OpenID flow.
func rejectedByGoOIDC(nonce string) quirkProbe {
	return func(t *testing.T, srv *mockprovider.Server) bool {
		rp := newRelyingParty(t, srv, mockprovider.SeedClientID)
		tr := userTokens(t, srv, openIDParams("nonce", nonce))
		idt, err := rp.check(tr, nonce)
		if err != nil {
			return true
		}
		sub, err := rp.refreshSub(t, tr)
		return err != nil || sub != idt.Subject
	}
}

// asksToSignIn reports whether a signed-in browser is sent to the login
// page for an OpenID request with extra parameters (after the clock moved
// by wait).
func asksToSignIn(wait time.Duration, extra ...string) quirkProbe {
	return func(t *testing.T, srv *mockprovider.Server) bool {
		b := signedIn(t, srv)
		srv.Advance(wait)
		res := b.get("/oauth/authorize?" + openIDParams(extra...).Encode())
		return !(res.Status == http.StatusFound && strings.HasPrefix(res.location(), "/oauth?next="))
	}
}

// signedIn returns a browser signed in as alice.
func signedIn(t *testing.T, srv *mockprovider.Server) *browser {
	t.Helper()
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	return b
}

func oidcQuirkProbes() map[mockprovider.Quirk]quirkProbe {
	probes := map[mockprovider.Quirk]quirkProbe{
		mockprovider.QuirkNonceInvented: rejectedByGoOIDC(""),
		mockprovider.QuirkIssParamMissing: func(t *testing.T, srv *mockprovider.Server) bool {
			return signedIn(t, srv).authorize(openIDParams()).Get("iss") != srv.URL
		},
		mockprovider.QuirkLogoutOpenRedirect: func(t *testing.T, srv *mockprovider.Server) bool {
			q := url.Values{"client_id": {mockprovider.SeedClientID}, "post_logout_redirect_uri": {"http://evil.example/"}}
			res := newBrowser(t, srv.URL).get(mockprovider.PathEndSession + "?" + q.Encode())
			return strings.HasPrefix(res.location(), "http://evil.example/")
		},
		mockprovider.QuirkPromptNoneShowsLogin: func(t *testing.T, srv *mockprovider.Server) bool {
			res := newBrowser(t, srv.URL).get("/oauth/authorize?" + openIDParams("prompt", "none").Encode())
			return !strings.HasPrefix(res.location(), mockprovider.SeedRedirectURI+"?error=login_required")
		},
		mockprovider.QuirkPromptLoginIgnored: asksToSignIn(0, "prompt", "login"),
		mockprovider.QuirkMaxAgeIgnored:      asksToSignIn(2*time.Minute, "max_age", "60"),
		mockprovider.QuirkUserinfoPostRefused: func(t *testing.T, srv *mockprovider.Server) bool {
			tr := userTokens(t, srv, openIDParams())
			req, _ := http.NewRequest(http.MethodPost, srv.URL+mockprovider.PathUserinfo, nil)
			req.Header.Set("Authorization", "Bearer "+tr.AccessToken)
			res, err := testHTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode != http.StatusOK
		},
	}
	for _, q := range tokenQuirks {
		if probes[q] == nil {
			probes[q] = rejectedByGoOIDC("n-0S6_WzA2Mj")
		}
	}
	return probes
}
