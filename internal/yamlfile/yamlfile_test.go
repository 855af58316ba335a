package yamlfile_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

type client struct {
	ID           string   `yaml:"id"`
	RedirectURIs []string `yaml:"redirect_uris"`
	Port         int      `yaml:"port"`
}

type file struct {
	Name    string            `yaml:"name"`
	Clients []client          `yaml:"clients"`
	Roles   map[string]client `yaml:"roles"`
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		line       int
		reason     string
		err        error
	}{
		{"empty", "", 0, "the file is empty", yamlfile.ErrEmpty},
		{"comments only", "# nothing\n", 0, "the file is empty", yamlfile.ErrEmpty},
		{"unknown field", "name: x\nclients:\n  - id: a\n    scope: email\n", 4, `unknown field "scope"`, nil},
		{"wrong type", "name: x\nclients:\n  - id: a\n    port: eighty\n", 4, "cannot unmarshal !!str `eighty` into int", nil},
		{"tab in a block", "clients:\n  - id: a\n\tport: 1\n", 3, "tab character", nil},
		{"tab before an item", "clients:\n\t- id: a\n", 2, "a tab in the indentation", nil},
		{"syntax", "name: [x\n", 1, "did not find expected", nil},
		{"second document", "name: a\n---\nname: b\n", 2, "a second YAML document", nil},
		{"second document is bad", "name: a\n---\nname: [\n", 3, "did not find expected", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v file
			doc, err := yamlfile.Decode("f.yaml", []byte(tt.data), &v)
			assert.Nil(t, doc)
			var ye *yamlfile.Error
			require.True(t, errors.As(err, &ye), "%T %v", err, err)
			assert.Equal(t, "f.yaml", ye.File)
			assert.Equal(t, tt.line, ye.Line, ye.Reason)
			assert.Contains(t, ye.Reason, tt.reason)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "f.yaml:3: user.password: is required",
		(&yamlfile.Error{File: "f.yaml", Line: 3, Field: "user.password", Reason: "is required"}).Error())
	assert.Equal(t, "f.yaml: the file is empty", (&yamlfile.Error{File: "f.yaml", Reason: "the file is empty"}).Error())
}

func TestLoad(t *testing.T) {
	t.Parallel()
	_, err := yamlfile.Load(filepath.Join(t.TempDir(), "missing.yaml"), &file{})
	var ye *yamlfile.Error
	require.ErrorAs(t, err, &ye)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, ye.File, "missing.yaml")
}

func TestLine(t *testing.T) {
	t.Parallel()
	data := "name: x\nclients:\n  - id: a\n    redirect_uris:\n      - http://a/cb\n      - http://a/cb2\nroles:\n  primary:\n    id: b\n"
	var v file
	doc, err := yamlfile.Decode("f.yaml", []byte(data), &v)
	require.NoError(t, err)
	assert.Equal(t, "x", v.Name)
	tests := []struct {
		path string
		line int
	}{
		{"name", 1},
		{"clients", 2},
		{"clients[0]", 3},
		{"clients[0].redirect_uris[1]", 6},
		{"clients[0].redirect_uris[7]", 4},
		{"clients[0].port", 3},
		{"roles.primary.id", 9},
		{"roles.secondary.id", 7},
		{"missing", 1},
		{"clients[x]", 2},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.line, doc.Line(tt.path))
		})
	}
	e := doc.Errorf("clients[0].redirect_uris[1]", "has a %s", "fragment")
	assert.Equal(t, "f.yaml:6: clients[0].redirect_uris[1]: has a fragment", e.Error())
	var none *yamlfile.Document
	assert.Zero(t, none.Line("name"))
}
