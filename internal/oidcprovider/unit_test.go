package oidcprovider

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLDD(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    []string
		wantErr string
	}{
		{
			name: "node on Debian",
			out: "\tlinux-vdso.so.1 (0x00007ffd3a1f2000)\n" +
				"\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f2c5a1e0000)\n" +
				"\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f2c59e00000)\n" +
				"\t/lib64/ld-linux-x86-64.so.2 (0x00007f2c5a200000)\n",
			want: []string{"/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"},
		},
		{name: "static", out: "\tstatically linked\n"},
		{name: "missing library", out: "\tlibnode.so.115 => not found\n", wantErr: "libnode.so.115 is not found"},
		{name: "unreadable", out: "\tlibx.so => ???\n", wantErr: "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLDD(tt.out)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValidateClients(t *testing.T) {
	uris := []string{"http://127.0.0.1:8000/authorized"}
	tests := []struct {
		name    string
		clients []Client
		wantErr string
	}{
		{name: "defaults", clients: DefaultClients()},
		{name: "no id", clients: []Client{{Role: RolePrimary, RedirectURIs: uris}}, wantErr: "the primary client has no id"},
		{name: "twice", clients: []Client{{ID: "a", RedirectURIs: uris}, {ID: "a", RedirectURIs: uris}}, wantErr: `"a" is registered twice`},
		{name: "no redirect", clients: []Client{{ID: "a"}}, wantErr: `"a" has no redirect URI`},
		{name: "auth method", clients: []Client{{ID: "a", RedirectURIs: uris, AuthMethod: "private_key_jwt"}}, wantErr: "private_key_jwt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateClients(tt.clients)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// TestProgramConfig checks what the Node program gets: the issuer on
// 127.0.0.1, a fresh secret per client and run, two cookie keys, and the
// registrations the suite's roles need.
func TestProgramConfig(t *testing.T) {
	clients := withSecrets(append(DefaultClients(), Client{Role: "post", ID: "p", Secret: "given",
		RedirectURIs: []string{"http://127.0.0.1:8003/cb"}, AuthMethod: "client_secret_post"}))
	again := withSecrets(DefaultClients())
	for i, c := range clients[:3] {
		assert.Len(t, c.Secret, 26, "rand.Text: 128 bits")
		assert.NotEqual(t, again[i].Secret, c.Secret, "secrets differ between runs")
		assert.Equal(t, "client_secret_basic", c.AuthMethod)
	}
	env, err := newProgramConfig(41234, clients, DefaultUsers).env()
	require.NoError(t, err)
	name, value, _ := strings.Cut(env, "=")
	assert.Equal(t, configEnv, name)
	var cfg programConfig
	require.NoError(t, json.Unmarshal([]byte(value), &cfg))
	assert.Equal(t, "http://127.0.0.1:41234", cfg.Issuer)
	assert.Equal(t, "127.0.0.1", cfg.Host, "listens on loopback only")
	require.Len(t, cfg.CookieKeys, 2)
	assert.NotEqual(t, cfg.CookieKeys[0], cfg.CookieKeys[1])
	require.Len(t, cfg.Clients, 4)
	assert.Equal(t, SeedClientID, cfg.Clients[0].ClientID)
	assert.Equal(t, []string{"http://127.0.0.1:8002/authorized", "http://127.0.0.1:8002/callback"}, cfg.Clients[2].RedirectURIs)
	assert.Equal(t, "given", cfg.Clients[3].ClientSecret)
	assert.Equal(t, "client_secret_post", cfg.Clients[3].TokenEndpointAuthMethod)
	assert.Equal(t, []string{"authorization_code", "refresh_token", "client_credentials"}, cfg.Clients[0].GrantTypes)
	assert.Equal(t, DefaultUsers, cfg.Users)
}

// TestLockPinsOneDependency checks the npm files: oidc-provider at
// [Version] is the only direct dependency, and the lock pins it.
func TestLockPinsOneDependency(t *testing.T) {
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := program.ReadFile("node/package.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &pkg))
	assert.Equal(t, map[string]string{"oidc-provider": Version}, pkg.Dependencies)
	assert.Empty(t, pkg.DevDependencies)

	var lock struct {
		Packages map[string]struct {
			Version      string            `json:"version"`
			Integrity    string            `json:"integrity"`
			Dependencies map[string]string `json:"dependencies"`
		} `json:"packages"`
	}
	b, err = program.ReadFile("node/package-lock.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &lock))
	assert.Equal(t, pkg.Dependencies, lock.Packages[""].Dependencies)
	assert.Equal(t, Version, lock.Packages["node_modules/oidc-provider"].Version)
	for name, p := range lock.Packages {
		if name != "" {
			assert.True(t, strings.HasPrefix(p.Integrity, "sha512-"), "%s is pinned by its integrity", name)
		}
	}
}

func TestInstallDirIsKeyedByTheLock(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir, err := InstallDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(cache, "dsra-oauth2-server", "oidc-provider-"+lockHash()[:16]), dir)
}

// TestLockFileIsExclusive: a second installer waits for the first, and
// gives up with ctx.
func TestLockFileIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "install.lock")
	unlock, err := lockFile(t.Context(), path)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 3*installPoll)
	defer cancel()
	_, err = lockFile(ctx, path)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "waiting for another install")
	unlock()
	unlock2, err := lockFile(t.Context(), path)
	require.NoError(t, err, "free again once the first holder is done")
	unlock2()
}

func TestWriteIfChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), ProgramName)
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, writeIfChanged(path, "node/"+ProgramName))
	want, _ := program.ReadFile("node/" + ProgramName)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	before, _ := os.Stat(path)
	time.Sleep(10 * time.Millisecond)
	require.NoError(t, writeIfChanged(path, "node/"+ProgramName))
	after, _ := os.Stat(path)
	assert.Equal(t, before.ModTime(), after.ModTime(), "an unchanged file is left alone")
}

// TestImageName: the tag changes with the program, so a new program is
// never run from an old image.
func TestImageName(t *testing.T) {
	dir := t.TempDir()
	node := filepath.Join(dir, "node")
	require.NoError(t, os.WriteFile(node, []byte("#!"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ProgramName), []byte("one"), 0o644))
	first, err := ImageName(node, dir)
	require.NoError(t, err)
	assert.Regexp(t, `^dsra-oauth2/oidc-provider:9\.13\.3-[0-9a-f]{12}$`, first)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ProgramName), []byte("two"), 0o644))
	second, err := ImageName(node, dir)
	require.NoError(t, err)
	assert.NotEqual(t, first, second)
}

// TestAssembleRootFS lays out an image for a small dynamic binary.
func TestAssembleRootFS(t *testing.T) {
	bin := "/bin/true"
	if _, err := os.Stat(bin); err != nil {
		t.Skip("needs /bin/true as a small dynamically linked binary")
	}
	dir := t.TempDir()
	for name, body := range map[string]string{ProgramName: "// program", "package.json": "{}", "node_modules/pkg/index.js": "x"} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "node_modules/.bin"), 0o755))
	require.NoError(t, os.Symlink("../pkg/index.js", filepath.Join(dir, "node_modules/.bin/pkg")))

	root := filepath.Join(t.TempDir(), "rootfs")
	require.NoError(t, assembleRootFS(root, bin, dir))
	libs, err := sharedLibraries(bin)
	require.NoError(t, err)
	require.NotEmpty(t, libs)
	for _, p := range append(libs, "/usr/bin/node", "/app/"+ProgramName, "/app/package.json", "/app/node_modules/pkg/index.js") {
		assert.FileExists(t, filepath.Join(root, p))
	}
	link, err := os.Readlink(filepath.Join(root, "app/node_modules/.bin/pkg"))
	require.NoError(t, err)
	assert.Equal(t, "../pkg/index.js", link, "symbolic links stay links")
	fi, err := os.Stat(filepath.Join(root, "tmp"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeDir|os.ModeSticky|0o777, fi.Mode())
}

func TestOrphaned(t *testing.T) {
	host, _ := os.Hostname()
	gone := 1 << 22 // above the usual pid_max
	for label, want := range map[string]bool{
		host + ":" + strconv.Itoa(os.Getpid()): false, // this process
		host + ":" + strconv.Itoa(gone):        true,
		"elsewhere:" + strconv.Itoa(gone):      false, // another host's processes are not ours to judge
		host + ":x":                            false,
		"":                                     false,
	} {
		assert.Equal(t, want, orphaned(label, host), label)
	}
}
