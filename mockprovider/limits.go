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
