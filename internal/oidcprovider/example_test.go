package oidcprovider_test

import (
	"context"
	"log"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/oidcprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// Start runs the provider (a container when a Docker engine can be had,
// else a node process) and hands out what a client needs.
func ExampleStart() {
	p, err := oidcprovider.Start(context.Background(), oidcprovider.Options{Mode: runmode.Process})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	conf := p.OAuth2Config(oidcprovider.RolePrimary)
	conf.Scopes = []string{"email"}
	log.Println("sign in as alice / wonderland at", conf.AuthCodeURL("state"))
	log.Println("the seed's resource:", p.MeURL, "mode:", p.Mode())
}
