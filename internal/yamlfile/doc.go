// Package yamlfile loads a YAML file strictly into a Go value: unknown
// fields, wrong types, tabs in the indentation and a second document are
// errors, and every error names the file, the line and, where known, the
// field, as a person fixing the file needs.
//
//	doc, err := yamlfile.Load("clients.yaml", &v) // err: clients.yaml:7: unknown field "scope"
//	if bad { return doc.Errorf("clients[1].redirect_uris[0]", "has a fragment") }
package yamlfile
