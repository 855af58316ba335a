package providerspec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileError is a problem in a target file: which file, line and field,
// and why.
type FileError struct {
	File   string
	Line   int
	Field  string
	Reason string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString("target: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Reason)
	return b.String()
}

// Load reads and checks a target file.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: path, Reason: err.Error()}
	}
	return Parse(path, data)
}

// Parse decodes a target file's content strictly (unknown fields are
// errors), fills in defaults ([Spec.ApplyDefaults]) and checks it; name
// is used in errors, which carry the line of the field at fault.
func Parse(name string, data []byte) (*Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FileError{File: name, Reason: "the file is empty"}
		}
		return nil, yamlError(name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	s.File = name
	s.ApplyDefaults()
	if err := s.Validate(); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = name
			fe.Line = lineOf(&root, fe.Field)
			return nil, fe
		}
		return nil, err
	}
	return &s, nil
}

func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if i := strings.Index(msg, "field "); i >= 0 && strings.Contains(msg, " not found in type ") {
		name := strings.TrimSuffix(msg[i+len("field "):], msg[strings.Index(msg, " not found in type "):])
		msg = msg[:i] + fmt.Sprintf("unknown field %q", name)
	}
	line := 0
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	return &FileError{File: name, Line: line, Reason: msg}
}

// lineOf finds the line of a dotted field path such as
// "clients.primary.redirect_uri"; the deepest existing node's line
// when the field itself is missing.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, key := range strings.Split(path, ".") {
		if key == "" || n.Kind != yaml.MappingNode {
			break
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}
