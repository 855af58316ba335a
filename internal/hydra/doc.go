// Package hydra runs Ory Hydra (v2.3.0, in-memory database) as a conformance
// target (package scenarios/launch opens it by the name "hydra"), with the
// project's own login/consent app and a protected resource
// standing in for the seed's /oauth/api/me.
//
//	h, err := hydra.Start(ctx, hydra.Options{}) // a container when a Docker engine can be had, else a process
//	defer h.Close()
//	err = h.CreateClient(ctx, hydra.Client{ID: id, Secret: secret, RedirectURIs: []string{cb}})
//	conf := h.OAuth2Config(client) // h.AuthorizeURL, h.TokenURL, h.MeURL
//
// The binary is built from the Go module pinned in tools/go.mod by build.sh
// (about two minutes the first time, cached after); the image is built from
// that binary and image/Dockerfile with Docker's classic builder, so nothing
// is pulled. Every server listens on 127.0.0.1 only.
package hydra
