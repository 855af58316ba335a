package yamlfile

import (
	"errors"
	"fmt"
	"strings"
)

// ErrEmpty is wrapped by the [*Error] of a file without a document (empty,
// or only comments).
var ErrEmpty = errors.New("the file is empty")

// Error is a problem in a YAML file: which file, which line, which field,
// and why.
type Error struct {
	// File is the name given to [Decode], or the path given to [Load].
	File string
	// Line is 1-based; 0 when the problem is not on a line (an empty or
	// unreadable file).
	Line int
	// Field is the dotted path of the field, e.g. "clients.primary.id" or
	// "clients[1].redirect_uris[0]"; empty when not known.
	Field string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying error, if any (e.g. [ErrEmpty] or an
	// [io/fs.PathError]).
	Err error
}

// Error formats the problem as "file:line: field: reason", leaving out
// what is unknown, as compilers do so that editors can jump to it.
func (e *Error) Error() string {
	var b strings.Builder
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

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
