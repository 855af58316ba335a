package mockprovider

// Limits bounds what a provider keeps in memory, so that it can run for
// days and take any load: past a limit the oldest entry is forgotten (a
// forgotten session signs its user out; a forgotten code or token is
// refused as unknown). Expired codes, tokens and sessions are dropped as
// the clock moves, a day after they expire (so that a test can still see
// an expired token refused as expired).
type Limits struct {
	// Sessions is how many signed-in sessions are kept.
	Sessions int
	// Consents is how many consent pages may await an answer.
	Consents int
	// Codes is how many authorization codes are kept.
	Codes int
	// Tokens is how many access and refresh tokens are kept.
	Tokens int
	// Requests is how many requests the /_mock/requests log keeps.
	Requests int
}

// DefaultLimits are the limits of a provider created without
// [WithLimits]: ample for a developer or a CI job, and a few tens of
// megabytes at most.
func DefaultLimits() Limits {
	return Limits{Sessions: 10_000, Consents: 10_000, Codes: 10_000, Tokens: 20_000, Requests: DefaultRequestLogSize}
}

// WithLimits sets the limits; a zero field keeps its default.
func WithLimits(l Limits) Option {
	return func(c *config) {
		d := DefaultLimits()
		for _, f := range []struct{ dst, def *int }{
			{&l.Sessions, &d.Sessions}, {&l.Consents, &d.Consents}, {&l.Codes, &d.Codes},
			{&l.Tokens, &d.Tokens}, {&l.Requests, &d.Requests},
		} {
			if *f.dst <= 0 {
				*f.dst = *f.def
			}
		}
		c.limits = l
	}
}

// insertionOrder remembers the order keys were added to a map, so that
// the oldest can be forgotten. Keys deleted from the map by other means
// stay in the queue until compacted.
type insertionOrder struct {
	keys []string
}

// remember stores v under key in m and forgets the oldest entries beyond
// limit. It returns how many were forgotten.
func remember[V any](m map[string]V, order *insertionOrder, key string, v V, limit int) int {
	if _, ok := m[key]; !ok {
		order.keys = append(order.keys, key)
	}
	m[key] = v
	evicted := 0
	for len(m) > limit && len(order.keys) > 0 {
		oldest := order.keys[0]
		order.keys[0] = ""
		order.keys = order.keys[1:]
		if _, ok := m[oldest]; ok {
			delete(m, oldest)
			evicted++
		}
	}
	if len(order.keys) > 2*max(limit, len(m)) {
		// Keys deleted by other means (a used code, a sign-out) pile up:
		// drop them, keeping the order of the rest.
		keep := make([]string, 0, len(m))
		for _, k := range order.keys {
			if _, ok := m[k]; ok {
				keep = append(keep, k)
			}
		}
		order.keys = keep
	}
	return evicted
}
