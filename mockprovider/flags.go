package mockprovider

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"net"
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
	// Seed is a non-negative integer or "random" ([WithSeed]); empty
	// means [DefaultSeed] on a loopback Listen address and a random seed
	// on any other, where a stranger could reach the provider.
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
	// StateDir keeps registered clients and the id generation across
	// restarts ([WithStateDir]); empty writes nothing.
	StateDir string
	// RequestLog is how many requests /_mock/requests keeps ([Limits]).
	RequestLog int
	// TLS serves HTTPS with a certificate made at start for the listen
	// host; TLSCert and TLSKey serve the user's own instead. TLSCAOut is
	// where the generated CA certificate goes (the command's, not Options).
	TLS                       bool
	TLSCert, TLSKey, TLSCAOut string
	// HealthCheck makes the command GET /healthz of Listen and exit.
	HealthCheck bool
	// SigningKeyFile is a PEM private key to sign id_tokens with
	// ([LoadSigningKey], [WithSigningKey]); empty means the seeded keys.
	SigningKeyFile string
}

// DefaultFlags returns the command's defaults: 127.0.0.1:9000, the
// built-in fixtures, seed 1 on loopback (random elsewhere), the virtual
// clock, exact redirect matching, optional PKCE, no state, plain HTTP.
func DefaultFlags() Flags {
	return Flags{
		Listen:         "127.0.0.1:9000",
		Clock:          "virtual",
		RequestLog:     DefaultRequestLogSize,
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
	fs.StringVar(&f.Seed, "seed", f.Seed, "seed of codes, tokens, ids, secrets and signing keys, or \"random\" (then the signing keys come from crypto/rand too); default: 1 on a loopback address, random on any other")
	fs.StringVar(&f.Clock, "clock", f.Clock, "virtual (moves only through POST /_mock/clock) or real")
	fs.StringVar(&f.RedirectPolicy, "redirect-policy", f.RedirectPolicy, "redirect URI matching policy or provider profile (github, google, entra, keycloak, hydra, oidc-provider, ...) for clients without their own")
	fs.StringVar(&f.PKCE, "pkce", f.PKCE, "PKCE policy: optional, required or s256")
	fs.StringVar(&f.Quirks, "quirks", f.Quirks, "comma-separated quirks to switch on (see GET /_mock/quirks)")
	fs.StringVar(&f.Issuer, "issuer", f.Issuer, "issuer / external base URL; set it behind a proxy or in a container (default: from each request's Host)")
	fs.BoolVar(&f.RemoteControl, "remote-control", f.RemoteControl, "serve the /_mock control API to non-loopback clients too")
	fs.StringVar(&f.StateDir, "state", f.StateDir, "directory keeping registered clients and the id generation across restarts (default: nothing is written)")
	fs.IntVar(&f.RequestLog, "request-log", f.RequestLog, "requests kept for GET /_mock/requests")
	fs.BoolVar(&f.TLS, "tls", f.TLS, "serve HTTPS with a certificate made at start for the listen host (its CA file's path is printed)")
	fs.StringVar(&f.TLSCert, "tls-cert", f.TLSCert, "serve HTTPS with this PEM certificate chain (with --tls-key)")
	fs.StringVar(&f.TLSKey, "tls-key", f.TLSKey, "the PEM private key of --tls-cert")
	fs.StringVar(&f.TLSCAOut, "tls-ca-out", f.TLSCAOut, "where --tls writes its CA certificate (default: DIR/ca.pem with --state, else in the temporary directory)")
	fs.BoolVar(&f.HealthCheck, "health-check", f.HealthCheck, "GET /healthz of the --listen address, exit 0 when it answers 200 (a container's HEALTHCHECK)")
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
	seed, err := f.seed()
	if err != nil {
		return nil, err
	}
	opts = append(opts, WithSeed(seed))
	if f.Seed == "random" || (f.Seed == "" && !ListensOnLoopback(f.Listen)) {
		// Unguessable ids deserve unforgeable tokens: not the public test keys.
		opts = append(opts, WithRandomKeys())
	}
	service, err := f.serviceOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, service...)
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

// serviceOptions are the options of a provider left running: the hosts
// the control API answers, the state directory and the request log's size.
func (f *Flags) serviceOptions() ([]Option, error) {
	if f.RequestLog < 1 {
		return nil, fmt.Errorf("mockprovider: --request-log must be at least 1, not %d", f.RequestLog)
	}
	return []Option{WithHosts(f.Listen), WithStateDir(f.StateDir), WithLimits(Limits{Requests: f.RequestLog})}, nil
}

// seed resolves Seed: given, or 1 on loopback and random elsewhere.
func (f *Flags) seed() (uint64, error) {
	if f.Seed == "" {
		if ListensOnLoopback(f.Listen) {
			return DefaultSeed, nil
		}
		return ParseSeed("random")
	}
	return ParseSeed(f.Seed)
}

// Warnings lists what is risky in the settings, for the command to log:
// a fixed seed on an address strangers can reach lets anyone who reads
// one answer compute every cookie, code and token.
func (f *Flags) Warnings() []string {
	var out []string
	if f.Seed != "" && f.Seed != "random" && !ListensOnLoopback(f.Listen) {
		out = append(out, fmt.Sprintf("--seed %s on the non-loopback address %s: whoever can reach the port and read "+
			"one answer can compute other users' cookies, codes and tokens; use it only on a private network", f.Seed, f.Listen))
	}
	if f.RemoteControl && f.Issuer == "" {
		out = append(out, "--remote-control without --issuer: the control API answers only loopback names and the listen "+
			"address as Host; set --issuer to the URL clients use")
	}
	return out
}

// ListensOnLoopback reports whether addr (host:port) is a loopback
// address or name; an empty or unspecified host (":9000", "0.0.0.0")
// listens on every interface and is not.
func ListensOnLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
