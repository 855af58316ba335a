package mockprovider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// stateFileName is the file a --state directory holds.
const stateFileName = "state.json"

// stateVersion is the version of the state document this build writes.
// A reader refuses a newer version rather than drop what it does not know.
const stateVersion = 1

// stateDocument is what survives a restart: a versioned JSON document, so
// that later versions can add to it (signing keys, say) and an older build
// refuses what it cannot keep.
type stateDocument struct {
	Version int `json:"version"`
	// Generation counts the id streams handed out so far (starts,
	// resets), so that a restart never re-issues an earlier value.
	Generation uint64 `json:"generation"`
	// Clients are those registered while the provider ran (through
	// /oauth/register, /_mock/clients or Register), secrets included:
	// they were shown only once.
	Clients []storedClient `json:"clients"`
	// SigningKeys are the current id_token signing keys when they are
	// random ([WithRandomKeys]): relying parties that cached the JWKS keep
	// verifying after a restart.
	SigningKeys []storedKey `json:"signing_keys,omitempty"`
}

// storedClient is a client with its secret, which Client's JSON omits.
type storedClient struct {
	Client
	Secret string `json:"client_secret,omitempty"`
}

// StateError reports a state file that cannot be used: which file, why.
type StateError struct {
	File   string
	Reason string
}

// Error names the file and the reason.
func (e *StateError) Error() string { return "mockprovider: state " + e.File + ": " + e.Reason }

// stateStore reads and writes the state document of one directory.
// Writes are atomic: a temporary file in the same directory, synced, then
// renamed over the old one, so a crash leaves the old or the new document,
// never half of one.
type stateStore struct {
	mu   sync.Mutex
	path string
}

// openStateStore opens (creating it if needed) the state directory dir
// and reads its document; a missing file is an empty document.
func openStateStore(dir string) (*stateStore, *stateDocument, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, &StateError{File: dir, Reason: err.Error()}
	}
	s := &stateStore{path: filepath.Join(dir, stateFileName)}
	doc, err := s.read()
	if err != nil {
		return nil, nil, err
	}
	return s, doc, nil
}

func (s *stateStore) read() (*stateDocument, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &stateDocument{Version: stateVersion}, nil
	}
	if err != nil {
		return nil, &StateError{File: s.path, Reason: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc stateDocument
	if err := dec.Decode(&doc); err != nil {
		return nil, &StateError{File: s.path, Reason: "not a state document: " + err.Error() + " (move the file away to start afresh)"}
	}
	if dec.More() {
		return nil, &StateError{File: s.path, Reason: "trailing data after the state document"}
	}
	switch {
	case doc.Version > stateVersion:
		return nil, &StateError{File: s.path, Reason: fmt.Sprintf("version %d is newer than this mockprovider understands (%d)", doc.Version, stateVersion)}
	case doc.Version < 1:
		return nil, &StateError{File: s.path, Reason: "version is missing"}
	}
	for i := range doc.Clients {
		doc.Clients[i].Client.Secret = doc.Clients[i].Secret
		if err := doc.Clients[i].Client.validate(); err != nil {
			return nil, &StateError{File: s.path, Reason: fmt.Sprintf("clients[%d]: %v", i, err)}
		}
	}
	return &doc, nil
}

// save builds the document and writes it, one save at a time, so that a
// document built later is never overwritten by one built earlier.
func (s *stateStore) save(build func() *stateDocument) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(build())
}

// write replaces the document atomically.
func (s *stateStore) write(doc *stateDocument) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(doc)
}

func (s *stateStore) writeLocked(doc *stateDocument) error {
	doc.Version = stateVersion
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return &StateError{File: s.path, Reason: err.Error()}
	}
	if err := writeFileAtomic(s.path, append(data, '\n')); err != nil {
		return &StateError{File: s.path, Reason: err.Error()}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file beside path (mode 0600:
// the document holds client secrets), syncs it and renames it to path.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		// The rename is durable once the directory is synced.
		d.Sync()
		d.Close()
	}
	return nil
}
