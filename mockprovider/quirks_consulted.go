package mockprovider

// quirkSet is the quirks in force for one request. Reading one records
// that the provider consulted it (see [Provider.QuirksConsulted]).
type quirkSet struct {
	on map[Quirk]bool
	p  *Provider
}

func (s quirkSet) has(q Quirk) bool {
	if s.p != nil {
		s.p.consult(q)
	}
	return s.on[q]
}

// consult records that a decision read quirk q's switch.
func (p *Provider) consult(q Quirk) {
	p.consultMu.Lock()
	defer p.consultMu.Unlock()
	if p.consulted == nil {
		p.consulted = map[Quirk]bool{}
	}
	p.consulted[q] = true
}

// QuirksConsulted lists, in the order of [Quirks], the quirks whose
// switch the provider has read since it was made, on or off: the
// decisions a quirk could have changed. A quirk never consulted while
// requests were served would not have changed a byte of the answers.
// The suite's quirk matrix uses it to run, for each quirk, only the
// scenarios that made the provider consult it.
func (p *Provider) QuirksConsulted() []Quirk {
	p.consultMu.Lock()
	defer p.consultMu.Unlock()
	var out []Quirk
	for _, q := range quirkInfo {
		if p.consulted[q.Name] {
			out = append(out, q.Name)
		}
	}
	return out
}
