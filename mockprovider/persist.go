package mockprovider

import (
	"fmt"
	"slices"
)

// WithStateDir keeps what must survive a restart in dir/state.json: the
// clients registered while the provider runs (their secrets were shown
// only once) and the generation of the id stream, so that a restart never
// hands out a cookie, code or token value again. Every change is written
// at once, atomically; an unreadable or corrupt file stops [New] with the
// file and the reason. Without it nothing is written anywhere.
func WithStateDir(dir string) Option { return func(c *config) { c.stateDir = dir } }

// openState reads the state directory, if any: it returns the generation
// to start the id stream at and the clients to register again.
func openState(dir string) (*stateStore, uint64, []Client, error) {
	if dir == "" {
		return nil, 0, nil, nil
	}
	store, doc, err := openStateStore(dir)
	if err != nil {
		return nil, 0, nil, err
	}
	clients := make([]Client, len(doc.Clients))
	for i, sc := range doc.Clients {
		clients[i] = sc.Client
		clients[i].Secret = sc.Secret
	}
	return store, doc.Generation + 1, clients, nil
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
// directory: the clients not from the fixtures, and the id generation.
func (p *Provider) saveState() error {
	if p.stateStore == nil {
		return nil
	}
	return p.stateStore.save(func() *stateDocument {
		doc := &stateDocument{Generation: p.ids.Generation(), Clients: []storedClient{}}
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
