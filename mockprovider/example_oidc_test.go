package mockprovider_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// An OpenID Connect relying party (here go-oidc) discovers the mock,
// verifies the id_token alice's sign-in returns against the JWKS, and
// reads its claims. The mock's clock is virtual, so the verifier uses it.
func ExampleServer_openIDConnect() {
	srv, err := mockprovider.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI, "openid", "email")
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	tok, err := srv.Token(ctx, "alice", conf)
	if err != nil {
		fmt.Println(err)
		return
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, &http.Client{Transport: &http.Transport{}}), srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: conf.ClientID, Now: srv.Now})
	idToken, err := verifier.Verify(ctx, tok.Extra("id_token").(string))
	if err != nil {
		fmt.Println(err)
		return
	}
	var claims struct {
		Email  string   `json:"email"`
		Groups []string `json:"groups"`
	}
	if err := idToken.Claims(&claims); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sub:", idToken.Subject, "issuer is the URL:", idToken.Issuer == srv.URL)
	fmt.Println("email:", claims.Email, "groups:", claims.Groups)
	// Output:
	// sub: nxmw73sHTSCdRZLDMtYOfA issuer is the URL: true
	// email: alice@example.com groups: [readers admins]
}
