package mockprovider

import (
	"net/url"
	"strings"
)

// panva's oidc-provider 9.x: Client#redirectUriAllowed and
// stripLoopbackPort (lib/models/client.js), the redirect_uris checks of
// the client schema (lib/helpers/client_schema.js), and the documented
// default allowOmittingSingleRegisteredRedirectUri: true.
const (
	oidcProviderSource = "https://github.com/panva/node-oidc-provider/blob/v9.x/lib/models/client.js"
	oidcProviderDoc    = "https://github.com/panva/node-oidc-provider/blob/v9.x/docs/README.md#allowomittingsingleregisteredredirecturi"
)

// oidcProviderProfile is a client with application_type web (the
// default): the presented URI must be one of the registered strings.
// Registration accepts only http and https URIs without a fragment.
var oidcProviderProfile = &RedirectProfile{
	Name:       "oidc-provider",
	Provider:   "panva oidc-provider (web client)",
	DocURL:     oidcProviderSource,
	Summary:    "exact string match; one registered URI may be omitted",
	Omitted:    OmittedUseSingle,
	Conformant: true,
	judge: func(registered, presented string) RedirectDecision {
		return judgeOIDCProvider(false, registered, presented)
	},
}

// oidcProviderNativeProfile is a client with application_type native:
// exact, except that for http on localhost, 127.0.0.1 or [::1] the port
// is cut out of both URIs before they are compared as strings.
var oidcProviderNativeProfile = &RedirectProfile{
	Name:       "oidc-provider-native",
	Provider:   "panva oidc-provider (native client)",
	DocURL:     oidcProviderSource,
	Summary:    "exact string match, except any port for http on localhost, 127.0.0.1 or [::1]",
	Omitted:    OmittedUseSingle,
	Conformant: true,
	judge: func(registered, presented string) RedirectDecision {
		return judgeOIDCProvider(true, registered, presented)
	},
}

func judgeOIDCProvider(native bool, registered, presented string) RedirectDecision {
	name := "oidc-provider"
	if native {
		name = "oidc-provider-native"
	}
	r, q, bad := parsedPair(name, registered, presented)
	if bad != nil {
		return *bad
	}
	if d, ok := oidcProviderRegistration(name, native, r); !ok {
		return d
	}
	if registered == presented {
		return accept(name+"/exact-match", presented, "identical to a registered redirect URI")
	}
	if native {
		rs, ok1 := stripLoopbackPort(registered, r)
		qs, ok2 := stripLoopbackPort(presented, q)
		if ok1 && ok2 && rs == qs {
			return accept(name+"/loopback-any-port", presented, "for a native client, http on localhost, 127.0.0.1 or [::1] may use any port")
		}
	}
	return exactRefusal(name, "oidc-provider", r, q)
}

// oidcProviderRegistration applies the client schema's redirect_uris
// checks for the application type.
func oidcProviderRegistration(name string, native bool, r *url.URL) (RedirectDecision, bool) {
	loopback := oidcProviderLoopback(r)
	switch {
	case r.Fragment != "" || strings.Contains(r.String(), "#"):
		return refuse(name+"/registration-fragment", "redirect_uris must not contain fragments"), false
	case !native && r.Scheme != "http" && r.Scheme != "https":
		return refuse(name+"/registration-scheme", "redirect_uris of web clients must only contain web uris"), false
	case native && r.Scheme == "http" && !loopback:
		return refuse(name+"/registration-loopback", "redirect_uris for native clients using http can only use loopback addresses as hostnames"), false
	case native && r.Scheme == "https" && loopback:
		return refuse(name+"/registration-loopback", "redirect_uris for native clients using claimed https URIs must not use %s as hostname", r.Hostname()), false
	}
	return RedirectDecision{}, true
}

func oidcProviderLoopback(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// stripLoopbackPort cuts ":port" out of the authority of an http
// loopback URI as written, as oidc-provider's function of that name does;
// ok is false for any other URI.
func stripLoopbackPort(raw string, u *url.URL) (string, bool) {
	if u.Scheme != "http" || !oidcProviderLoopback(u) {
		return "", false
	}
	i := strings.Index(raw, "://")
	if i < 0 {
		return "", false
	}
	start := i + len("://")
	end := len(raw)
	if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
		end = start + j
	}
	authority := raw[start:end]
	hostStart := strings.LastIndex(authority, "@") + 1
	hostPort := authority[hostStart:]
	portAt := strings.LastIndex(hostPort, ":")
	if strings.HasPrefix(hostPort, "[") {
		portAt = strings.Index(hostPort, "]") + 1
		if portAt == 0 || portAt >= len(hostPort) || hostPort[portAt] != ':' {
			return raw, true
		}
	} else if portAt < 0 {
		return raw, true
	}
	for _, c := range hostPort[portAt+1:] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return raw[:start+hostStart+portAt] + raw[end:], true
}
