package providerspec

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

// ExpectedFailure is a known deviation of a provider: a scenario that is
// expected to fail (or warn), with the reason it is accepted. A target file
// lists them under expected_failures; for the built-in targets a file whose
// top level is expected_failures does (see [LoadExpectedFailures]).
//
//	expected_failures:
//	  - id: code/wrong-secret
//	    reason: "answers 401 without WWW-Authenticate (vendor ticket 1234)"
type ExpectedFailure struct {
	// ID is the scenario's ID, e.g. redirect/port-mismatch.
	ID string `yaml:"id" json:"id"`
	// Reason says why the deviation is accepted; it is shown with the
	// scenario's xfail or xpass verdict.
	Reason string `yaml:"reason" json:"reason"`
	// File and Line are where the entry was written, for errors.
	File string `yaml:"-" json:"-"`
	Line int    `yaml:"-" json:"-"`
}

// UnmarshalYAML decodes one {id, reason} entry strictly and keeps its line.
func (e *ExpectedFailure) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected_failures: each entry is {id: SCENARIO-ID, reason: WHY}", n.Line)
	}
	*e = ExpectedFailure{Line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: expected_failures: %s must be a string", value.Line, key.Value)
		}
		switch key.Value {
		case "id":
			e.ID = strings.TrimSpace(value.Value)
		case "reason":
			e.Reason = strings.TrimSpace(value.Value)
		default:
			return fmt.Errorf("line %d: expected_failures: unknown field %q (id, reason)", key.Line, key.Value)
		}
	}
	return nil
}

// checkExpectedFailures checks that every entry has an ID and a reason
// and that no ID is listed twice; whether the IDs are in the catalog is
// the suite's to check (scenarios.CheckExpected).
func checkExpectedFailures(file string, list []ExpectedFailure) error {
	seen := map[string]int{}
	for i := range list {
		e := &list[i]
		e.File = file
		switch {
		case e.ID == "":
			return &FileError{File: file, Line: e.Line, Field: "expected_failures", Reason: "an entry has no id"}
		case e.Reason == "":
			return &FileError{File: file, Line: e.Line, Field: "expected_failures",
				Reason: fmt.Sprintf("%s has no reason: say why the deviation is accepted", e.ID)}
		}
		if line, dup := seen[e.ID]; dup {
			return &FileError{File: file, Line: e.Line, Field: "expected_failures",
				Reason: fmt.Sprintf("%s is already listed on line %d", e.ID, line)}
		}
		seen[e.ID] = e.Line
	}
	return nil
}

// LoadExpectedFailures reads a file whose top level is expected_failures,
// the list of known deviations for a built-in target (conformance run
// --expected-failures FILE; conformance baseline writes one).
func LoadExpectedFailures(path string) ([]ExpectedFailure, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: path, Reason: err.Error()}
	}
	return ParseExpectedFailures(path, data)
}

// ParseExpectedFailures decodes an expected-failures file's content;
// name is used in errors.
func ParseExpectedFailures(name string, data []byte) ([]ExpectedFailure, error) {
	var doc struct {
		ExpectedFailures []ExpectedFailure `yaml:"expected_failures"`
	}
	if _, err := yamlfile.Decode(name, data, &doc); err != nil {
		return nil, fileError(err)
	}
	if err := checkExpectedFailures(name, doc.ExpectedFailures); err != nil {
		return nil, err
	}
	return doc.ExpectedFailures, nil
}

// WriteExpectedFailures writes list as an expected-failures file, with a
// header comment, in the order given.
func WriteExpectedFailures(w io.Writer, header string, list []ExpectedFailure) error {
	var b bytes.Buffer
	for line := range strings.SplitSeq(strings.TrimSpace(header), "\n") {
		b.WriteString(strings.TrimRight("# "+line, " ") + "\n")
	}
	doc := struct {
		ExpectedFailures []ExpectedFailure `yaml:"expected_failures"`
	}{list}
	if doc.ExpectedFailures == nil {
		doc.ExpectedFailures = []ExpectedFailure{}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("target: expected failures: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
