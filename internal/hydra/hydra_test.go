package hydra

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	dc "github.com/ory/dockertest/v3/docker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/childproc"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// The seed's sample client, registered on Hydra with a loopback callback.
const (
	seedClientID     = "QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq"
	seedClientSecret = "tBhV3kXq8RmW2zLp9cNf6yTd4sJa7uGe1HiKoPw5QrZxEb0MvY"
)

func TestAuthorizationCodeFlow(t *testing.T) {
	modes := []struct {
		name  string
		start func(t *testing.T) (*Instance, *dockerd.Engine)
	}{
		{"docker", func(t *testing.T) (*Instance, *dockerd.Engine) {
			eng := ensureEngineOrSkip(t)
			return startOrSkip(t, Options{Mode: runmode.Docker, Engine: eng}), eng
		}},
		{"process", func(t *testing.T) (*Instance, *dockerd.Engine) {
			return startOrSkip(t, Options{Mode: runmode.Process}), nil
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			started := time.Now()
			h, eng := m.start(t)
			t.Logf("%s: started in %v", h.Mode(), time.Since(started).Round(time.Millisecond))
			if eng != nil {
				assert.Equal(t, "docker (image "+LocalImage+")", h.Mode())
			} else {
				assert.Equal(t, "process", h.Mode())
			}
			checkFlow(t, h)

			var hydraPID int
			var bin string
			switch s := h.server.(type) {
			case *childproc.Process:
				hydraPID, bin = s.PID(), s.Path()
			case *dockerd.Container:
				ct, err := eng.Pool.Client.InspectContainer(s.ID())
				require.NoError(t, err)
				require.True(t, ct.HostConfig.NetworkMode == "host", "host networking")
				hydraPID = ct.State.Pid
			}
			require.NotZero(t, hydraPID)

			require.NoError(t, h.Close())
			require.NoError(t, h.Close(), "Close is idempotent")
			assert.ErrorIs(t, syscall.Kill(hydraPID, 0), syscall.ESRCH, "no Hydra process is left")
			if bin != "" {
				assert.Empty(t, procfs.Naming(bin), "no process runs %s", bin)
			}
			if eng != nil {
				left, err := eng.Pool.Client.ListContainers(dc.ListContainersOptions{
					All: true, Filters: map[string][]string{"label": {ContainerLabel}},
				})
				require.NoError(t, err)
				assert.Empty(t, left, "no container is left")
			}
			_, err := http.Get(h.AdminURL + "/health/alive")
			assert.Error(t, err, "Hydra no longer answers")
			_, err = http.Get(h.LoginURL + "/login")
			assert.Error(t, err, "the login app no longer answers")
		})
	}
}

// checkFlow registers the seed's client and runs the authorization-code
// flow end to end, then the refusals around it.
func checkFlow(t *testing.T, h *Instance) {
	redirect := callbackURL(t)
	client := Client{
		ID: seedClientID, Secret: seedClientSecret, Name: "Seed sample client",
		RedirectURIs: []string{redirect}, Scopes: []string{"email", "offline"},
	}
	require.NoError(t, h.CreateClient(t.Context(), client))
	conf := h.OAuth2Config(client)

	code := authorize(t, h, conf, "alice", "wonderland")
	tok, err := conf.Exchange(t.Context(), code)
	require.NoError(t, err)
	assert.Equal(t, "bearer", strings.ToLower(tok.TokenType))
	assert.NotEmpty(t, tok.RefreshToken, "scope offline gives a refresh token")

	me := callMe(t, h, "Bearer "+tok.AccessToken)
	require.Equal(t, http.StatusOK, me.Status, me.Body)
	assert.Equal(t, map[string]any{"username": "alice", "email": "alice@example.com"}, decodeJSON(t, me.Body))
	assert.Equal(t, "no-store", me.Header.Get("Cache-Control"))

	t.Run("me refuses what is not a valid access token", func(t *testing.T) {
		lower := callMe(t, h, "bearer "+tok.AccessToken)
		assert.Equal(t, http.StatusOK, lower.Status, "the scheme is case-insensitive")

		missing := callMe(t, h, "")
		assert.Equal(t, http.StatusUnauthorized, missing.Status)
		assert.Equal(t, `Bearer realm="hydra"`, missing.Header.Get("WWW-Authenticate"))

		inQuery := fetch(t, http.DefaultClient, mustRequest(t, h.MeURL+"?access_token="+url.QueryEscape(tok.AccessToken)))
		assert.Equal(t, http.StatusUnauthorized, inQuery.Status, "a token in the query is not accepted")
		assert.Equal(t, `Bearer realm="hydra"`, inQuery.Header.Get("WWW-Authenticate"))

		for _, bad := range []string{"Bearer not-a-token", "Bearer " + tok.RefreshToken} {
			r := callMe(t, h, bad)
			assert.Equal(t, http.StatusUnauthorized, r.Status)
			assert.Contains(t, r.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
		}
	})

	t.Run("wrong password is refused", func(t *testing.T) {
		c := newBrowser(t, redirect)
		page := signIn(t, c, conf.AuthCodeURL("state-wrong-password"), "alice", "not-her-password")
		assert.Equal(t, http.StatusUnauthorized, page.Status)
		assert.Equal(t, "/login", page.URL.Path, "the form is shown again, nothing is accepted")
		assert.Contains(t, page.Body, `id="error">Invalid username or password.`)
		assert.Contains(t, page.Body, `name="login_challenge"`)
	})

	t.Run("consent denied", func(t *testing.T) {
		c := newBrowser(t, redirect)
		page := signIn(t, c, conf.AuthCodeURL("state-consent-denied"), "bob", "builder")
		assert.Contains(t, page.Body, "Seed sample client")
		assert.Contains(t, page.Body, "<code>email</code>")
		q := redirectParams(t, consent(t, c, page, "no"), redirect)
		assert.Equal(t, "access_denied", q.Get("error"))
		assert.Equal(t, "state-consent-denied", q.Get("state"))
		assert.Empty(t, q.Get("code"))
	})
}

func mustRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	return req
}

// TestDockerModeOwnEngine lets Start find or start the engine itself: Close
// must then stop a private engine and leave nothing behind.
func TestDockerModeOwnEngine(t *testing.T) {
	h := startOrSkip(t, Options{Mode: runmode.Docker})
	require.True(t, ready(t.Context(), h.AdminURL))
	eng := h.engine
	if eng == nil {
		t.Logf("a running engine answered; only the container is checked")
		require.NoError(t, h.Close())
		return
	}
	dir, pid := eng.Dir(), eng.PID()
	require.NoError(t, h.Close())
	assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "the private dockerd is gone")
	assert.Empty(t, procfs.Naming(dir), "no containerd or shim is left")
	mps, err := dockerd.MountsUnder(dir)
	require.NoError(t, err)
	assert.Empty(t, mps, "nothing is left mounted (nsfs)")
	assert.NoDirExists(t, dir)
}

// TestStartFailureCleansUp: a Hydra that dies at once is reported with the
// end of its log, and Start returns no instance (it closed what it started).
func TestStartFailureCleansUp(t *testing.T) {
	script := t.TempDir() + "/hydra"
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\necho 'no database here' >&2\nexit 3\n"), 0o755))
	h, err := Start(t.Context(), Options{Mode: runmode.Process, Binary: script, Logger: testLogger(t)})
	require.Error(t, err)
	assert.Nil(t, h)
	assert.ErrorContains(t, err, "stopped before it was ready")
	assert.ErrorContains(t, err, "no database here")
}
