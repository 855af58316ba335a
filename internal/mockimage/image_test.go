package mockimage_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockertestenv"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/mockimage"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestImageServesAFlow builds the image on the project's engine, runs it
// with host networking on a 127.0.0.1 address (never the image's default
// 0.0.0.0, which on the host network would bind every interface), signs
// alice in, exchanges the code, calls /oauth/api/me, and stops it.
func TestImageServesAFlow(t *testing.T) {
	engine, err := dockerd.Ensure(t.Context(), slog.New(slog.DiscardHandler))
	if errors.Is(err, dockerd.ErrNoEngine) {
		dockertestenv.SkipOrFail(t, err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { engine.Close() })
	require.NoError(t, mockimage.Build(t.Context(), engine))
	size, err := mockimage.Size(engine)
	require.NoError(t, err)
	t.Logf("image %s: %.1f MB", mockimage.Image, float64(size)/(1<<20))

	_, err = mockimage.Run(t.Context(), engine, "0.0.0.0:9000")
	require.ErrorContains(t, err, "not a loopback address", "the runner refuses to bind every interface")

	c, err := mockimage.Run(t.Context(), engine, freeAddr(t))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, c.Close()) })

	code := signIn(t, c.URL)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {mockprovider.SeedRedirectURI}}
	req, err := http.NewRequest(http.MethodPost, c.URL+mockprovider.PathToken, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(mockprovider.SeedClientID, mockprovider.SeedClientSecret)
	var tr mockprovider.TokenResponse
	require.Equal(t, http.StatusOK, doJSON(t, req, &tr))

	req, err = http.NewRequest(http.MethodGet, c.URL+mockprovider.PathMe, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tr.AccessToken)
	var me mockprovider.MeResponse
	require.Equal(t, http.StatusOK, doJSON(t, req, &me))
	assert.Equal(t, "alice", me.Username)
	assert.Contains(t, c.Logs(), "mock OAuth2 provider listening")
	assert.Eventually(t, func() bool { return c.Health() == "healthy" }, 20*time.Second, 500*time.Millisecond,
		"the image's HEALTHCHECK (mockprovider --health-check) passes")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

var hiddenField = regexp.MustCompile(`name="(csrf|consent_id|next)" value="([^"]*)"`)

// signIn plays the browser: the login page, alice's password, the
// consent page, and returns the code sent to the seed's redirect URI.
func signIn(t *testing.T, base string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var code string
	client := &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), mockprovider.SeedRedirectURI) {
			code = req.URL.Query().Get("code")
			return http.ErrUseLastResponse
		}
		return nil
	}}
	authorize := base + mockprovider.PathAuthorize + "?" + url.Values{"response_type": {"code"},
		"client_id": {mockprovider.SeedClientID}, "redirect_uri": {mockprovider.SeedRedirectURI}, "state": {"s"}}.Encode()
	page := get(t, client, authorize)
	fields := hidden(page)
	page = post(t, client, base+mockprovider.PathLogin, url.Values{"username": {"alice"}, "password": {"wonderland"},
		"csrf": {fields["csrf"]}, "next": {fields["next"]}})
	post(t, client, base+mockprovider.PathAuthorize, url.Values{"consent_id": {hidden(page)["consent_id"]}, "confirm": {"yes"}})
	require.NotEmpty(t, code, "the consent sent a code to the redirect URI")
	return code
}

func hidden(page string) map[string]string {
	out := map[string]string{}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		out[m[1]] = strings.ReplaceAll(m[2], "&amp;", "&")
	}
	return out
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) string {
	t.Helper()
	resp, err := c.PostForm(u, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func doJSON(t *testing.T, req *http.Request, v any) int {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.NoError(t, json.Unmarshal(b, v), string(b))
	return resp.StatusCode
}
