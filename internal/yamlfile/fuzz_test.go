package yamlfile_test

import (
	"bytes"
	"errors"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

// FuzzDecode checks that Decode never panics and that every error it
// returns is an *Error naming the file and a line inside it (or none).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"name: x\n", "", "clients:\n\t- id: a\n", "a: 1\n---\nb: 2\n", "name: [\n",
		"clients:\n  - id: a\n    port: x\n", "&a [*a]", "roles: {p: {id: 1}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v file
		doc, err := yamlfile.Decode("fuzz.yaml", data, &v)
		if err == nil {
			if doc == nil || doc.Root == nil {
				t.Fatal("no document without an error")
			}
			_ = doc.Line("clients[0].redirect_uris[0]")
			return
		}
		var ye *yamlfile.Error
		if !errors.As(err, &ye) || ye.File != "fuzz.yaml" || ye.Reason == "" {
			t.Fatalf("error %T %v is not a complete *yamlfile.Error", err, err)
		}
		if ye.Line < 0 || ye.Line > bytes.Count(data, []byte("\n"))+2 {
			t.Fatalf("line %d outside the file: %v", ye.Line, err)
		}
	})
}
