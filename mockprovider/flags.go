package mockprovider

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"strconv"
)

// Flags are the settings of the mockprovider command, as strings the way
// a command line gives them: [Flags.RegisterFlags] binds them to a
// [flag.FlagSet] and [Flags.Options] turns them into Options, so that
// cmd/mockprovider only parses and serves.
type Flags struct {
	// Listen is the address to listen on (the command's, not an Option).
	Listen string
	// ClientsFile and UsersFile are fixture files; empty means the
	// built-in [DefaultClients] and [DefaultUsers].
	ClientsFile, UsersFile string
	// Seed is a non-negative integer or "random" ([WithSeed]).
	Seed string
	// Clock is "virtual" or "real" ([WithRealClock]).
	Clock string
	// RedirectPolicy and PKCE name a [RedirectPolicy] and a [PKCEPolicy].
	RedirectPolicy, PKCE string
	// Quirks is a comma-separated list ([ParseQuirks]).
	Quirks string
	// Issuer is the external base URL ([WithIssuer]); empty derives it
	// from each request's Host.
	Issuer string
	// RemoteControl serves /_mock to non-loopback clients too
	// ([WithRemoteControl]).
	RemoteControl bool
	// SigningKeyFile is a PEM private key to sign id_tokens with
	// ([LoadSigningKey], [WithSigningKey]); empty means the seeded keys.
	SigningKeyFile string
}

// DefaultFlags returns the command's defaults: 127.0.0.1:9000, the
// built-in fixtures, seed 1, the virtual clock, exact redirect matching
// and optional PKCE.
func DefaultFlags() Flags {
	return Flags{
		Listen:         "127.0.0.1:9000",
		Seed:           strconv.FormatUint(DefaultSeed, 10),
		Clock:          "virtual",
		RedirectPolicy: string(PolicyExact),
		PKCE:           string(PKCEOptional),
	}
}

// RegisterFlags defines the command's flags on fs, with f's values as
// defaults.
func (f *Flags) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.Listen, "listen", f.Listen, "address to listen on")
	fs.StringVar(&f.ClientsFile, "clients", f.ClientsFile, "clients fixture file (default: the built-in clients of testdata/clients.yaml)")
	fs.StringVar(&f.UsersFile, "users", f.UsersFile, "users fixture file (default: the built-in users of testdata/users.yaml)")
	fs.StringVar(&f.Seed, "seed", f.Seed, "seed of codes, tokens, ids, secrets and signing keys, or \"random\" (then the signing keys come from crypto/rand too)")
	fs.StringVar(&f.Clock, "clock", f.Clock, "virtual (moves only through POST /_mock/clock) or real")
	fs.StringVar(&f.RedirectPolicy, "redirect-policy", f.RedirectPolicy, "redirect URI matching policy or provider profile (github, google, entra, keycloak, hydra, oidc-provider, ...) for clients without their own")
	fs.StringVar(&f.PKCE, "pkce", f.PKCE, "PKCE policy: optional, required or s256")
	fs.StringVar(&f.Quirks, "quirks", f.Quirks, "comma-separated quirks to switch on (see GET /_mock/quirks)")
	fs.StringVar(&f.Issuer, "issuer", f.Issuer, "issuer / external base URL (default: from each request's Host)")
	fs.BoolVar(&f.RemoteControl, "remote-control", f.RemoteControl, "serve the /_mock control API to non-loopback clients too")
	fs.StringVar(&f.SigningKeyFile, "signing-key", f.SigningKeyFile,
		"PEM private key (RSA >= 2048 bits, EC P-256 or Ed25519) that signs id_tokens instead of the seeded key of its algorithm")
}

// Options turns the flags into Options: it loads the fixture files and
// parses the seed, clock and quirks. Policies and the issuer are checked
// by [New].
func (f *Flags) Options() ([]Option, error) {
	opts := []Option{
		WithRedirectPolicy(RedirectPolicy(f.RedirectPolicy)),
		WithPKCE(PKCEPolicy(f.PKCE)),
	}
	fixtures, err := f.fixtureOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, fixtures...)
	seed, err := ParseSeed(f.Seed)
	if err != nil {
		return nil, err
	}
	opts = append(opts, WithSeed(seed))
	if f.Seed == "random" {
		// Unguessable ids deserve unforgeable tokens: not the public test keys.
		opts = append(opts, WithRandomKeys())
	}
	switch f.Clock {
	case "virtual":
	case "real":
		opts = append(opts, WithRealClock())
	default:
		return nil, fmt.Errorf("mockprovider: --clock must be virtual or real, not %q", f.Clock)
	}
	quirks, err := ParseQuirks(f.Quirks)
	if err != nil {
		return nil, err
	}
	opts = append(opts, WithQuirks(quirks...))
	if f.Issuer != "" {
		opts = append(opts, WithIssuer(f.Issuer))
	}
	if f.RemoteControl {
		opts = append(opts, WithRemoteControl())
	}
	return opts, nil
}

func (f *Flags) fixtureOptions() ([]Option, error) {
	var opts []Option
	if f.ClientsFile != "" {
		cs, err := LoadClients(f.ClientsFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithClients(cs...))
	}
	if f.UsersFile != "" {
		us, err := LoadUsers(f.UsersFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithUsers(us...))
	}
	if f.SigningKeyFile != "" {
		k, err := LoadSigningKey(f.SigningKeyFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithSigningKey(k))
	}
	return opts, nil
}

// ParseSeed parses a seed: a non-negative decimal integer, or "random"
// for one from crypto/rand (which [Provider.Seed] then reports, so that
// the run can be repeated).
func ParseSeed(s string) (uint64, error) {
	if s == "random" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, fmt.Errorf("mockprovider: random seed: %w", err)
		}
		return binary.BigEndian.Uint64(b[:]), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("mockprovider: --seed must be a non-negative integer or \"random\", not %q", s)
	}
	return n, nil
}
