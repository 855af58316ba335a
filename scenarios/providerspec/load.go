package providerspec

import (
	"errors"
	"os"
	"reflect"

	"go.yaml.in/yaml/v3"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

// FileError is a problem in a target file: which file, line and field,
// and why. It prints as "target: file:line: field: reason", leaving out
// what is unknown.
type FileError struct {
	File   string
	Line   int
	Field  string
	Reason string
	// Err is the underlying error, if any (e.g. an [io/fs.PathError]).
	Err error
}

func (e *FileError) Error() string {
	ye := yamlfile.Error{File: e.File, Line: e.Line, Field: e.Field, Reason: e.Reason}
	return "target: " + ye.Error()
}

// Unwrap returns the underlying error, if any.
func (e *FileError) Unwrap() error { return e.Err }

// Load reads and checks a target file (see [Parse]).
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: path, Reason: err.Error(), Err: err}
	}
	return Parse(path, data)
}

// Parse decodes a target file's content strictly (unknown fields, a
// second document and an empty file are errors), expands ${NAME} and
// ${NAME:-default} in its string values from the environment, fills in
// defaults ([Spec.ApplyDefaults]) and checks it ([Spec.Validate]); name
// is used in errors, which carry the line of the field at fault.
func Parse(name string, data []byte) (*Spec, error) {
	return ParseEnv(name, data, os.LookupEnv)
}

// ParseEnv is [Parse] with the environment given by lookup.
func ParseEnv(name string, data []byte, lookup LookupEnv) (*Spec, error) {
	doc, err := yamlfile.Decode(name, data, &yaml.Node{})
	if err != nil {
		return nil, fileError(err)
	}
	secrets, err := expandEnv(name, doc.Root, lookup)
	if err != nil {
		return nil, err
	}
	if err := checkKnownFields(name, doc.Root, reflect.TypeFor[Spec]()); err != nil {
		return nil, err
	}
	var s Spec
	if err := doc.Root.Decode(&s); err != nil {
		return nil, decodeError(name, err)
	}
	s.Secrets = secrets
	return finish(&s, doc)
}

// fileError turns a yamlfile error into a FileError.
func fileError(err error) error {
	var ye *yamlfile.Error
	if errors.As(err, &ye) {
		return &FileError{File: ye.File, Line: ye.Line, Field: ye.Field, Reason: ye.Reason, Err: ye.Err}
	}
	return err
}

func finish(s *Spec, doc *yamlfile.Document) (*Spec, error) {
	s.File = doc.File
	s.ApplyDefaults()
	err := s.Validate()
	if err == nil {
		err = s.loadCA()
	}
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = doc.File
			fe.Line = doc.Line(fe.Field)
		}
		return nil, err
	}
	if err := checkExpectedFailures(doc.File, s.ExpectedFailures); err != nil {
		return nil, err
	}
	return s, nil
}
