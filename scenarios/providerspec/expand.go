package providerspec

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LookupEnv finds an environment variable, as os.LookupEnv does.
type LookupEnv func(name string) (string, bool)

// secretFields are the target file's fields that hold secrets, as dotted
// paths with * for any key.
var secretFields = []string{"clients.*.secret", "user.password"}

// secretName matches the names of variables that hold secrets by the usual
// CI conventions (CLIENT_SECRET, OIDC_PASSWORD, API_TOKEN, SIGNING_KEY, ...).
var secretName = regexp.MustCompile(`(?i)secret|passw|(^|_)(token|key|apikey|pwd|pass|credentials?)(_|$)`)

// envName is a variable's name: a letter or _, then letters, digits, _.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expandEnv replaces ${NAME} and ${NAME:-default} in every string value
// of a target file's YAML tree with the variable's value: ${NAME:-default}
// gives default when NAME is unset or empty, and $${ is a literal ${.
// Keys are left alone. An unset variable without a default is an error
// naming it and the line.
//
// It returns the values that came from the environment and are secrets:
// those expanded into a secret field (a client secret, the password) and
// those of a variable whose name says it is one (it contains SECRET or
// PASSW, or has a part TOKEN, KEY, APIKEY, PASS, PWD or CREDENTIALS
// between underscores). Reports redact them like the target's secrets.
func expandEnv(file string, root *yaml.Node, lookup LookupEnv) (secrets []string, err error) {
	var walk func(n *yaml.Node, path []string) error
	walk = func(n *yaml.Node, path []string) error {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if err := walk(c, path); err != nil {
					return err
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := walk(n.Content[i+1], append(path, n.Content[i].Value)); err != nil {
					return err
				}
			}
		case yaml.ScalarNode:
			field := strings.Join(path, ".")
			value, fromEnv, err := expandString(n.Value, lookup)
			if err != nil {
				return &FileError{File: file, Line: n.Line, Field: field, Reason: err.Error()}
			}
			if value == n.Value && len(fromEnv) == 0 {
				return nil
			}
			// The value stays a string whatever it looks like ("123",
			// "null", "true"): a secret is never reinterpreted.
			n.Value, n.Tag = value, "!!str"
			for name, v := range fromEnv {
				if isSecretField(path) || secretName.MatchString(name) {
					secrets = append(secrets, v)
				}
			}
		}
		return nil
	}
	return secrets, walk(root, nil)
}

// expandString expands the references in s and returns, by variable
// name, the values taken from the environment.
func expandString(s string, lookup LookupEnv) (string, map[string]string, error) {
	if !strings.Contains(s, "$") {
		return s, nil, nil
	}
	var b strings.Builder
	fromEnv := map[string]string{}
	for {
		i := strings.Index(s, "$")
		if i < 0 || i+1 >= len(s) {
			b.WriteString(s)
			return b.String(), fromEnv, nil
		}
		b.WriteString(s[:i])
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			s = s[i+3:]
			continue
		case s[i+1] != '{':
			b.WriteByte('$')
			s = s[i+1:]
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", nil, fmt.Errorf("%q has a ${ without its closing } (write $${ for a literal ${)", s[i:])
		}
		value, name, env, err := resolveRef(s[i+2:i+end], lookup)
		if err != nil {
			return "", nil, err
		}
		if env {
			fromEnv[name] = value
		}
		b.WriteString(value)
		s = s[i+end+1:]
	}
}

// resolveRef resolves the inside of ${...}: NAME or NAME:-default. env
// reports whether the value came from the environment.
func resolveRef(ref string, lookup LookupEnv) (value, name string, env bool, err error) {
	name, def, hasDefault := strings.Cut(ref, ":-")
	if !envName.MatchString(name) {
		return "", "", false, fmt.Errorf("${%s}: %q is not a variable name (letters, digits and _; ${NAME} or ${NAME:-default})", ref, name)
	}
	v, ok := lookup(name)
	switch {
	case ok && (v != "" || !hasDefault):
		return v, name, true, nil
	case hasDefault:
		return def, name, false, nil
	}
	return "", "", false, fmt.Errorf("environment variable %s is not set (give it a value, or a default: ${%s:-value})", name, name)
}

func isSecretField(path []string) bool {
	for _, f := range secretFields {
		parts := strings.Split(f, ".")
		if len(parts) != len(path) {
			continue
		}
		match := true
		for i := range parts {
			if parts[i] != "*" && parts[i] != path[i] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
