package procfs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
)

// startMarked starts a sleeping process whose command line carries a
// unique argument, stopped when the test ends.
func startMarked(t *testing.T) (cmd *exec.Cmd, arg string) {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep(1) on this system")
	}
	arg = filepath.Join(t.TempDir(), "marker")
	// sleep takes the marker via a symlink name so argv[0] carries it.
	link := arg + "-sleep"
	require.NoError(t, os.Symlink(sleep, link))
	cmd = exec.Command(link, "30")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, link
}

func TestFindByCommandLine(t *testing.T) {
	cmd, arg := startMarked(t)
	pid := cmd.Process.Pid
	for name, got := range map[string][]int{
		"Naming a part":     procfs.Naming(filepath.Base(arg)),
		"WithArg the whole": procfs.WithArg(arg),
		"Find by argv[1]": procfs.Find(func(args []string) bool {
			return len(args) == 2 && args[0] == arg && args[1] == "30"
		}),
	} {
		t.Run(name, func(t *testing.T) { assert.Equal(t, []int{pid}, got) })
	}
	assert.Empty(t, procfs.WithArg(filepath.Base(arg)), "WithArg does not match a part")
	assert.True(t, procfs.Alive(pid))

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	assert.Empty(t, procfs.Naming(arg), "an ended process is not found")
	assert.False(t, procfs.Alive(pid))
}

func TestNeverFindsItself(t *testing.T) {
	assert.NotContains(t, procfs.Naming(os.Args[0]), os.Getpid())
	assert.False(t, procfs.Alive(0))
	assert.False(t, procfs.Alive(-1))
}
