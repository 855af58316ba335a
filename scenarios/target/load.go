package target

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

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

// Load reads and validates a target file.
func Load(path string) (*Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: path, Reason: err.Error()}
	}
	return Parse(path, data)
}

// Parse decodes and validates a target file's content; name is used in
// errors. ${NAME} and ${NAME:-default} in string values are expanded from
// the environment (see [ParseEnv]).
func Parse(name string, data []byte) (*Target, error) {
	return ParseEnv(name, data, os.LookupEnv)
}

// ParseEnv is [Parse] with the environment given by lookup.
func ParseEnv(name string, data []byte, lookup LookupEnv) (*Target, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	if root.Kind == 0 || len(root.Content) == 0 || root.Content[0].Tag == "!!null" {
		return nil, &FileError{File: name, Reason: "the file is empty"}
	}
	secrets, err := expandEnv(name, &root, lookup)
	if err != nil {
		return nil, err
	}
	if err := checkKnownFields(name, &root, reflect.TypeFor[Target]()); err != nil {
		return nil, err
	}
	var t Target
	if err := root.Decode(&t); err != nil {
		return nil, yamlError(name, err)
	}
	t.File, t.Secrets = name, secrets
	err = t.validate()
	if err == nil {
		err = t.loadCA()
	}
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = name
			fe.Line = lineOf(&root, fe.Field)
			return nil, fe
		}
		return nil, err
	}
	if err := checkExpectedFailures(name, t.ExpectedFailures); err != nil {
		return nil, err
	}
	return &t, nil
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

func fieldErr(field, format string, args ...any) error {
	return &FileError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// validate checks a target and fills in defaults.
func (t *Target) validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return fieldErr("name", "is required")
	}
	if t.Issuer != "" {
		if err := checkURL(t.Issuer); err != nil {
			return fieldErr("issuer", "%v", err)
		}
	}
	for _, f := range []struct {
		field string
		value string
	}{{"authorize_url", t.AuthorizeURL}, {"token_url", t.TokenURL}, {"me_url", t.MeURL}} {
		if f.value == "" {
			if t.Issuer == "" {
				return fieldErr(f.field, "is required unless issuer is given (discovery fills it)")
			}
			continue
		}
		if err := checkURL(f.value); err != nil {
			return fieldErr(f.field, "%v", err)
		}
	}
	if err := t.validateClients(); err != nil {
		return err
	}
	if len(t.Scopes.Granted) == 0 {
		t.Scopes.Granted = nil
	}
	for _, s := range append(slices.Clone(t.Scopes.Granted), t.Scopes.Unknown, t.Scopes.Refresh) {
		if s != "" && strings.ContainsAny(s, " \"\\") {
			return fieldErr("scopes", "%q is not a single scope token (RFC 6749 §3.3)", s)
		}
	}
	if t.Scopes.Unknown == "" {
		t.Scopes.Unknown = "not-a-scope"
	}
	if t.User.Username == "" {
		return fieldErr("user.username", "is required")
	}
	if t.User.Password == "" {
		return fieldErr("user.password", "is required")
	}
	if t.User.MeField == "" {
		t.User.MeField = "username"
	}
	if t.Login == (Login{}) {
		t.Login = DefaultLogin
	}
	for _, f := range []struct{ field, value string }{
		{"login.username", t.Login.Username}, {"login.password", t.Login.Password}, {"login.submit", t.Login.Submit},
	} {
		if f.value == "" {
			return fieldErr(f.field, "is required (a CSS selector)")
		}
	}
	if (t.Login.Consent == "") != (t.Login.Deny == "") {
		return fieldErr("login", "give both consent and deny selectors, or neither (no consent page)")
	}
	for _, c := range t.Capabilities {
		if !slices.Contains(knownCapabilities, c) {
			return fieldErr("capabilities", "unknown capability %q (known: pkce, refresh, clock)", c)
		}
	}
	if t.Has(Clock) && t.ClockURL == "" && t.Clock == nil {
		return fieldErr("capabilities", "clock needs clock_url (a mockprovider's /_mock/clock)")
	}
	if t.ClockURL != "" {
		if err := checkURL(t.ClockURL); err != nil {
			return fieldErr("clock_url", "%v", err)
		}
	}
	if r := t.Resource; r != nil {
		if err := checkURL(r.URL); err != nil {
			return fieldErr("resource.url", "%v", err)
		}
		if r.Scope == "" || r.Without == "" || r.Scope == r.Without {
			return fieldErr("resource", "needs scope (what the resource requires) and without (another scope the client may ask for)")
		}
	}
	if t.MaxParallel < 0 {
		return fieldErr("max_parallel", "must be 0 (no cap) or more")
	}
	switch d := time.Duration(t.Timeout); {
	case d == 0:
		t.Timeout = Duration(DefaultTimeout)
	case d < 100*time.Millisecond || d > 5*time.Minute:
		return fieldErr("timeout", "must be between 100ms and 5m, not %s", d)
	}
	return nil
}

func (t *Target) validateClients() error {
	if t.Primary() == nil {
		return fieldErr("clients.primary", "is required")
	}
	for name, c := range t.Clients {
		field := "clients." + name
		if name != "primary" && name != "secondary" && name != "multi" {
			return fieldErr(field, "unknown client role %q (primary, secondary, multi)", name)
		}
		if c == nil {
			return fieldErr(field, "is empty")
		}
		if c.ID == "" {
			return fieldErr(field+".id", "is required")
		}
		switch c.AuthMethod {
		case "":
			c.AuthMethod = "client_secret_basic"
		case "client_secret_basic", "client_secret_post", "none":
		default:
			return fieldErr(field+".auth_method", "%q is not client_secret_basic, client_secret_post or none", c.AuthMethod)
		}
		if c.Secret == "" && c.AuthMethod != "none" {
			return fieldErr(field+".secret", "is required (or auth_method: none for a public client)")
		}
		if err := checkURL(c.RedirectURI); err != nil {
			return fieldErr(field+".redirect_uri", "%v", err)
		}
		if strings.Contains(c.RedirectURI, "#") {
			return fieldErr(field+".redirect_uri", "must not have a fragment (RFC 6749 §3.1.2)")
		}
	}
	return nil
}

func checkURL(raw string) error {
	if raw == "" {
		return errors.New("is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
