package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Document is a decoded file's name and node tree, kept to find the line
// of a field that fails a later check.
type Document struct {
	// File is the name errors carry.
	File string
	// Root is the document node of the file's one document.
	Root *yaml.Node
}

// Load reads the file at path and decodes it with [Decode].
func Load(path string, v any) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Reason: err.Error(), Err: err}
	}
	return Decode(path, data, v)
}

// Decode decodes data, the content of the file called name, into v:
// a field of the file that v does not have is an error, as is a value of
// the wrong type, a tab in the indentation, an empty file ([ErrEmpty]) and
// a second document ("---"). Every error is an [*Error].
func Decode(name string, data []byte, v any) (*Document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Reason: ErrEmpty.Error(), Err: ErrEmpty}
		}
		return nil, convert(name, data, err)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil:
		return nil, &Error{File: name, Line: second.Line,
			Reason: "a second YAML document starts here; the file must hold exactly one"}
	case !errors.Is(err, io.EOF):
		return nil, convert(name, data, err)
	}
	doc := &Document{File: name, Root: &yaml.Node{}}
	if err := yaml.Unmarshal(data, doc.Root); err != nil {
		return nil, convert(name, data, err)
	}
	return doc, nil
}

// Errorf returns an [*Error] at the line of field (see [Document.Line]).
func (d *Document) Errorf(field, format string, args ...any) *Error {
	return &Error{File: d.File, Line: d.Line(field), Field: field, Reason: fmt.Sprintf(format, args...)}
}

// convert turns an error of the yaml package ("yaml: line 3: ...") into
// an [*Error] with the line separated and the message in the file's
// terms.
func convert(name string, data []byte, err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	msg = unknownField(msg)
	lines := strings.Split(string(data), "\n")
	switch {
	case strings.Contains(msg, "tab character"):
		// yaml names the line where the enclosing block starts; point at
		// the tab itself.
		for i := max(line-1, 0); i < len(lines); i++ {
			if tabIndented(lines[i]) {
				line = i + 1
				break
			}
		}
	case line >= 1 && line <= len(lines) && tabIndented(lines[line-1]):
		msg += " (a tab in the indentation: YAML indents with spaces)"
	}
	return &Error{File: name, Line: line, Reason: msg, Err: err}
}

// unknownField rewrites yaml's "field x not found in type pkg.T", which
// names a Go type the file's author never sees, as `unknown field "x"`.
func unknownField(msg string) string {
	const pre, mid = "field ", " not found in type "
	i, j := strings.Index(msg, pre), strings.Index(msg, mid)
	if i < 0 || j < i+len(pre) {
		return msg
	}
	return msg[:i] + fmt.Sprintf("unknown field %q", msg[i+len(pre):j])
}

func tabIndented(l string) bool {
	return strings.Contains(l[:len(l)-len(strings.TrimLeft(l, " \t"))], "\t")
}
