package mockprovider

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// A browser on loopback is not trust: any page the developer visits can
// send requests to 127.0.0.1, and a rebinding DNS name can make the
// browser treat the provider as that page's own origin. These checks keep
// such pages away from the forms and the control API.

// WithHosts names the host[:port] values, besides loopback names and the
// issuer's host, that the /_mock control API answers as its Host, e.g.
// the listen address. Any other Host is refused: it is how a DNS
// rebinding attack arrives.
func WithHosts(hosts ...string) Option {
	return func(c *config) { c.hosts = append(slices.Clone(c.hosts), hosts...) }
}

// knownHost reports whether the request's Host names this provider: a
// loopback name or address, the configured issuer's host, or one of the
// hosts the provider was told it is reached at ([WithHosts]). A DNS
// rebinding attack arrives with the attacker's own name as Host.
func (p *Provider) knownHost(r *http.Request) bool {
	host := strings.ToLower(r.Host)
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	if name == "localhost" {
		return true
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	if p.cfg.issuer != "" {
		if u, err := url.Parse(p.cfg.issuer); err == nil && sameHost(u.Scheme, u.Host, host) {
			return true
		}
	}
	return slices.ContainsFunc(p.cfg.hosts, func(h string) bool { return strings.EqualFold(h, host) })
}

// sameHost compares two host[:port] values, the first of a URL with the
// given scheme, so that "auth.example" and "auth.example:443" are one
// host for https.
func sameHost(scheme, a, b string) bool {
	port := map[string]string{"http": "80", "https": "443"}[scheme]
	norm := func(h string) string {
		h = strings.ToLower(h)
		if _, _, err := net.SplitHostPort(h); err != nil && port != "" {
			return net.JoinHostPort(strings.Trim(h, "[]"), port)
		}
		return h
	}
	return norm(a) == norm(b)
}

// foreignOrigin says why a state-changing request comes from a page of
// another origin, or "" when it comes from the provider's own pages (or
// from a program that is not a browser). Sec-Fetch-Site decides when the
// browser sends it; else the Origin header must be the provider's.
func (p *Provider) foreignOrigin(r *http.Request) string {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "Sec-Fetch-Site is " + site
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "Origin is " + origin
	}
	if sameHost(u.Scheme, u.Host, r.Host) && p.knownHost(r) {
		return ""
	}
	if p.cfg.issuer != "" {
		if iss, err := url.Parse(p.cfg.issuer); err == nil && iss.Scheme == u.Scheme && sameHost(u.Scheme, iss.Host, u.Host) {
			return ""
		}
	}
	return "Origin is " + origin
}

// refuseForeignForm answers a form posted from another origin with a
// 403 page and reports true; it reports false for the provider's own.
func (p *Provider) refuseForeignForm(w http.ResponseWriter, r *http.Request) bool {
	why := p.foreignOrigin(r)
	if why == "" {
		return false
	}
	p.log.Warn("cross-origin form refused", "path", r.URL.Path, "reason", why)
	p.renderError(w, http.StatusForbidden, "Cross-site request refused",
		"This form was not posted from a page of this provider ("+why+"). Start again from the application.")
	return true
}

// controlRefusal says why a request may not use the /_mock control API,
// as an error to answer, or nil when it may: a loopback connection (unless
// remote control is on), a known Host, no foreign Origin, and JSON bodies.
func (p *Provider) controlRefusal(r *http.Request) *Error {
	switch {
	case !p.cfg.remoteControl && !fromLoopback(r):
		return ErrAccessDenied.WithDescription("the /_mock control API answers loopback clients only (start with --remote-control to change that)")
	case !p.knownHost(r):
		return ErrAccessDenied.WithDescription("the /_mock control API does not answer Host %q: use a loopback address or the issuer's host", clipValue(r.Host))
	}
	if why := p.foreignOrigin(r); why != "" {
		return ErrAccessDenied.WithDescription("the /_mock control API answers no other origin (%s)", clipValue(why))
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		ct := r.Header.Get("Content-Type")
		if mt, _, _ := strings.Cut(ct, ";"); !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
			return ErrInvalidRequest.WithStatus(http.StatusUnsupportedMediaType).
				WithDescription("the /_mock control API takes application/json bodies only, not %q", clipValue(ct))
		}
	}
	return nil
}
