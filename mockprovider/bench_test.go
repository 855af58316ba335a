package mockprovider_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// BenchmarkTokenRequests measures code exchanges at the token endpoint
// with and without scope openid in the same run, interleaved, so that the
// cost of the id_token (claims, RS256 signature) reads as a ratio: it
// reports oauth2-req/s, openid-req/s and openid/oauth2.
func BenchmarkTokenRequests(b *testing.B) {
	p, err := mockprovider.New(mockprovider.WithIssuer("http://127.0.0.1:9000"))
	if err != nil {
		b.Fatal(err)
	}
	exchange := func(scope string) time.Duration {
		params := seedParams("scope", scope, "nonce", "n-1")
		back, err := p.Authorize("alice", "http://127.0.0.1:9000"+mockprovider.PathAuthorize+"?"+params.Encode())
		if err != nil {
			b.Fatal(err)
		}
		form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")},
			"redirect_uri": {mockprovider.SeedRedirectURI}}
		req := httptest.NewRequest(http.MethodPost, mockprovider.PathToken, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(mockprovider.SeedClientID, mockprovider.SeedClientSecret)
		rec := httptest.NewRecorder()
		start := time.Now()
		p.ServeHTTP(rec, req)
		took := time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("token request: %d %s", rec.Code, rec.Body)
		}
		return took
	}
	var plain, openID time.Duration
	for b.Loop() {
		plain += exchange("email")
		openID += exchange("openid email")
	}
	n := float64(b.N)
	b.ReportMetric(n/plain.Seconds(), "oauth2-req/s")
	b.ReportMetric(n/openID.Seconds(), "openid-req/s")
	b.ReportMetric(openID.Seconds()/plain.Seconds(), "openid/oauth2")
}
