package providerspec

import (
	"errors"

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
	var s Spec
	doc, err := yamlfile.Load(path, &s)
	return finish(&s, doc, err)
}

// Parse decodes a target file's content strictly (unknown fields, a
// second document and an empty file are errors), fills in defaults
// ([Spec.ApplyDefaults]) and checks it ([Spec.Validate]); name is used
// in errors, which carry the line of the field at fault.
func Parse(name string, data []byte) (*Spec, error) {
	var s Spec
	doc, err := yamlfile.Decode(name, data, &s)
	return finish(&s, doc, err)
}

func finish(s *Spec, doc *yamlfile.Document, err error) (*Spec, error) {
	var ye *yamlfile.Error
	if errors.As(err, &ye) {
		return nil, &FileError{File: ye.File, Line: ye.Line, Field: ye.Field, Reason: ye.Reason, Err: ye.Err}
	}
	if err != nil {
		return nil, err
	}
	s.File = doc.File
	s.ApplyDefaults()
	if err := s.Validate(); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = doc.File
			fe.Line = doc.Line(fe.Field)
		}
		return nil, err
	}
	return s, nil
}
