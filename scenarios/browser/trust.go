package browser

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"slices"
	"time"
)

// SPKIHashes connects to each https origin, verifies its certificate
// against roots (a private CA) and the origin's host name, and returns the
// base64 SHA-256 hashes of the verified servers' public keys, the form
// [Options.TrustSPKI] takes. http origins are skipped.
//
// This is how a run trusts a provider's private CA in the browser without
// trusting everything: Chromium has no switch that adds a root for one
// profile (its root store is the system's NSS database and Chrome Root
// Store), and DevTools' Security.setIgnoreCertificateErrors would accept
// any certificate. --ignore-certificate-errors-spki-list accepts a chain
// only when one of its keys is listed: here, exactly the keys the CA
// vouched for, checked by Go for those hosts.
func SPKIHashes(ctx context.Context, roots *x509.CertPool, origins []string) ([]string, error) {
	var out []string
	for _, origin := range origins {
		u, err := url.Parse(origin)
		if err != nil || u.Scheme != "https" {
			continue
		}
		h, err := spkiHash(ctx, roots, u)
		if err != nil {
			return nil, fmt.Errorf("browser: %s: %w", origin, err)
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out, nil
}

func spkiHash(ctx context.Context, roots *x509.CertPool, u *url.URL) (string, error) {
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{RootCAs: roots, ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return "", fmt.Errorf("the certificate does not verify against ca_file: %w", err)
	}
	defer conn.Close()
	leaf := conn.(*tls.Conn).ConnectionState().PeerCertificates[0]
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}
