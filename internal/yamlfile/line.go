package yamlfile

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Line returns the line of a field given as a dotted path of mapping keys
// with optional sequence indexes: "user.password", "clients.primary",
// "clients[1].redirect_uris[0]". When the field itself is missing it is
// the line of the deepest part that exists (the enclosing mapping), so
// that "is required" errors point into the right block; 0 for a nil
// Document.
func (d *Document) Line(path string) int {
	if d == nil || d.Root == nil {
		return 0
	}
	n := d.Root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		key, indexes := splitIndexes(part)
		if key != "" {
			v, keyLine := lookup(n, key)
			if v == nil {
				return line
			}
			n, line = v, keyLine
		}
		for _, i := range indexes {
			if n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		}
	}
	return line
}

// lookup returns the value of key in mapping n and the key's line.
func lookup(n *yaml.Node, key string) (*yaml.Node, int) {
	if n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], n.Content[i].Line
		}
	}
	return nil, 0
}

// splitIndexes splits "redirect_uris[1][2]" into "redirect_uris" and
// [1 2]; a malformed index ends the list.
func splitIndexes(part string) (string, []int) {
	key, rest, ok := strings.Cut(part, "[")
	if !ok {
		return part, nil
	}
	var indexes []int
	for _, s := range strings.Split(rest, "[") {
		i, err := strconv.Atoi(strings.TrimSuffix(s, "]"))
		if err != nil || !strings.HasSuffix(s, "]") {
			break
		}
		indexes = append(indexes, i)
	}
	return key, indexes
}
