package mockprovider

import (
	"fmt"
	"slices"
)

// WithStateDir keeps what must survive a restart in dir/state.json: the
// clients registered while the provider runs (their secrets were shown
// only once), the generation of the id stream, so that a restart never
// hands out a cookie, code or token value again, and the signing keys
// when they are random ([WithRandomKeys]). Every change is written
// at once, atomically; an unreadable or corrupt file stops [New] with the
// file and the reason. Without it nothing is written anywhere.
func WithStateDir(dir string) Option { return func(c *config) { c.stateDir = dir } }

// openState reads the state directory, if any: it returns the generation
// to start the id stream at, and the document (empty without a directory).
func openState(dir string) (*stateStore, uint64, *stateDocument, error) {
	if dir == "" {
		return nil, 0, &stateDocument{}, nil
	}
	store, doc, err := openStateStore(dir)
	if err != nil {
		return nil, 0, nil, err
	}
	return store, doc.Generation + 1, doc, nil
}

// restoreState registers the stored clients again and, when the state
// keeps keys, makes the stored signing keys current (creating the missing
// ones), then saves: the new generation is written at once, so that a
// restart after a crash does not hand out this generation's values either.
func (p *Provider) restoreState(doc *stateDocument) error {
	clients := make([]Client, len(doc.Clients))
	for i, sc := range doc.Clients {
		clients[i] = sc.Client
		clients[i].Secret = sc.Secret
	}
	if err := p.restoreClients(clients); err != nil {
		return err
	}
	if p.keepsKeys() {
		if err := p.keys.restore(doc.SigningKeys); err != nil {
			return &StateError{File: p.stateStore.path, Reason: err.Error()}
		}
	}
	if err := p.ensureKeys(); err != nil {
		return err
	}
	return p.saveState()
}

// restoreClients registers the clients of the state file again, after the
// fixtures; a client whose id a fixture now holds is an error.
func (p *Provider) restoreClients(clients []Client) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range clients {
		if _, dup := p.st.clients[c.ID]; dup {
			return &StateError{File: p.stateStore.path, Reason: fmt.Sprintf("client_id %q of the state is also a fixture's; remove one", c.ID)}
		}
		p.st.addClient(c)
	}
	return nil
}

// saveState writes the state document, when the provider has a state
// directory: the clients not from the fixtures, the id generation, and
// random signing keys.
func (p *Provider) saveState() error {
	if p.stateStore == nil {
		return nil
	}
	var keys []storedKey
	if p.keepsKeys() {
		var err error
		if keys, err = p.keys.stored(); err != nil {
			return err
		}
	}
	return p.stateStore.save(func() *stateDocument {
		doc := &stateDocument{Generation: p.ids.Generation(), Clients: []storedClient{}, SigningKeys: keys}
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, id := range p.st.clientOrder {
			if slices.ContainsFunc(p.cfg.clients, func(f Client) bool { return f.ID == id }) {
				continue
			}
			c := *p.st.clients[id]
			doc.Clients = append(doc.Clients, storedClient{Client: c, Secret: c.Secret})
		}
		return doc
	})
}
