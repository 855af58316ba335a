package providerspec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// checkKnownFields reports the first mapping key of the tree that the Go
// type t has no field for, with its line: the strictness of yaml's
// KnownFields, for a tree that is decoded with Node.Decode (which has no
// such option) after ${VAR} expansion.
func checkKnownFields(file string, n *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil // it checks its own fields
	}
	switch {
	case n.Kind == yaml.DocumentNode:
		for _, c := range n.Content {
			if err := checkKnownFields(file, c, t); err != nil {
				return err
			}
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			ft, ok := fields[key.Value]
			if !ok {
				return &FileError{File: file, Line: key.Line, Reason: fmt.Sprintf("unknown field %q", key.Value)}
			}
			if err := checkKnownFields(file, n.Content[i+1], ft); err != nil {
				return err
			}
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Map:
		for i := 1; i < len(n.Content); i += 2 {
			if err := checkKnownFields(file, n.Content[i], t.Elem()); err != nil {
				return err
			}
		}
	case n.Kind == yaml.SequenceNode && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for _, c := range n.Content {
			if err := checkKnownFields(file, c, t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlFields maps the YAML names of a struct's fields to their types, as
// yaml decodes them: the yaml tag's name, else the lower-cased Go name;
// "-" fields left out, ",inline" structs flattened.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-":
			continue
		case strings.Contains(opts, "inline"):
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		case name == "":
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// decodeError turns an error of Node.Decode ("yaml: unmarshal errors:
// line 6: cannot unmarshal ...", or a field's own "line 6: timeout: ...")
// into a FileError with the line separated.
func decodeError(file string, err error) error {
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
	return &FileError{File: file, Line: line, Reason: msg, Err: err}
}
