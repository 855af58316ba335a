package mockprovider_test

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// A test starts a provider like an httptest.Server and gets an
// oauth2.Config for the seed's sample client; the values the provider
// hands out are the same on every run.
func ExampleNewServer() {
	srv := mockprovider.NewServer()
	defer srv.Close()

	conf := srv.OAuth2Config("http://localhost:8000/authorized")
	fmt.Println("client_id:", conf.ClientID)
	fmt.Println("scopes:", conf.Scopes)

	// Send the browser to the authorization endpoint.
	u, _ := url.Parse(conf.AuthCodeURL("state-1"))
	fmt.Println("authorize:", u.Path, u.Query().Get("redirect_uri"), u.Query().Get("state"))

	// The same client, for itself (client_credentials).
	cc := clientcredentials.Config{ClientID: conf.ClientID, ClientSecret: conf.ClientSecret, TokenURL: conf.Endpoint.TokenURL}
	tok, err := cc.Token(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("access token:", tok.AccessToken, "scope:", tok.Extra("scope"))

	// The clock moves only when told to.
	if err := srv.Advance(time.Hour); err != nil {
		fmt.Println(err)
	}
	fmt.Println("now:", srv.Now().Format(time.RFC3339))
	// Output:
	// client_id: QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq
	// scopes: [email]
	// authorize: /oauth/authorize http://localhost:8000/authorized state-1
	// access token: yVJz0RcOKGYNsmLiB1httXyruSdsAk scope: email
	// now: 2026-01-01T01:00:00Z
}

// AnalyzeRedirect tells why a redirect URI was refused and which
// matching policy would have accepted it.
func ExampleAnalyzeRedirect() {
	a, err := mockprovider.AnalyzeRedirect("http://localhost:8000/authorized", "https://localhost:8000/authorized")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("differs in:", a.Components())
	for _, v := range a.Verdicts {
		fmt.Printf("%-18s accepts=%-5v conformant=%v\n", v.Policy, v.Accepts, v.Conformant)
	}
	// Output:
	// differs in: scheme
	// exact              accepts=false conformant=true
	// loopback-any-port  accepts=false conformant=true
	// ignore-query       accepts=false conformant=false
	// prefix             accepts=false conformant=false
	// scheme-insensitive accepts=true  conformant=false
	// substring          accepts=false conformant=false
	// any                accepts=true  conformant=false
}

// A native app registers its loopback redirect URI without a port and
// listens on any port (RFC 8252 §7.3).
func ExampleRedirectPolicy_Match() {
	const registered = "http://127.0.0.1/callback"
	for _, presented := range []string{"http://127.0.0.1:51004/callback", "http://localhost:51004/callback"} {
		fmt.Println(presented, mockprovider.PolicyExact.Match(registered, presented), mockprovider.PolicyLoopbackAnyPort.Match(registered, presented))
	}
	// Output:
	// http://127.0.0.1:51004/callback false true
	// http://localhost:51004/callback false false
}
