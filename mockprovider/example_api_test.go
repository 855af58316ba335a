package mockprovider_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// A test gets the token a client holds after alice signed in, without
// any HTML, and calls the protected resource with it.
func ExampleServer_Token() {
	srv, err := mockprovider.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	tok, err := srv.Token(ctx, "alice", conf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("scope:", tok.Extra("scope"), "refresh token:", tok.RefreshToken != "")

	res, err := conf.Client(ctx, tok).Get(srv.MeURL())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Print(string(body))
	// Output:
	// scope: email refresh token: true
	// {"username":"alice","email":"alice@example.com"}
}

// The authorization step alone, with PKCE: the code the client's
// callback would receive.
func ExampleProvider_AuthorizationCode() {
	srv := mockprovider.NewServer()
	defer srv.Close()

	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	verifier := oauth2.GenerateVerifier()
	code, err := srv.AuthorizationCode("bob", conf, "state-1", oauth2.S256ChallengeOption(verifier))
	fmt.Println(len(code), err)

	// An error the provider redirects to the client comes back as *Error.
	conf.Scopes = []string{"admin"}
	_, err = srv.AuthorizationCode("bob", conf, "state-2")
	fmt.Println(errors.Is(err, mockprovider.ErrInvalidScope))
	fmt.Println(err)
	// Output:
	// 30 <nil>
	// true
	// mockprovider: invalid_scope: scope "admin" is not registered for this client (registered: openid email profile address phone)
}

// One-shot error injection: the next token request fails as the test
// wants, the one after is served normally.
func ExampleProvider_QueueError() {
	srv := mockprovider.NewServer()
	defer srv.Close()
	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())

	srv.QueueError(mockprovider.PathToken, mockprovider.ErrInvalidGrant.WithDescription("the code expired"))
	_, err := srv.Token(ctx, "alice", conf)
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		fmt.Println(re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
	_, err = srv.Token(ctx, "alice", conf)
	fmt.Println(err)
	// Output:
	// 400 invalid_grant the code expired
	// <nil>
}

// With WithAutoApprove, the authorization endpoint answers at once with a
// redirect carrying a code: a client under test that follows redirects
// over HTTP gets through without login or consent pages.
func ExampleWithAutoApprove() {
	srv := mockprovider.NewServer(mockprovider.WithAutoApprove("alice"))
	defer srv.Close()

	conf := srv.OAuth2Config(mockprovider.SeedRedirectURI)
	res, err := srv.NoRedirectClient().Get(conf.AuthCodeURL("state-1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode == http.StatusFound, res.Header.Get("Location")[:len(mockprovider.SeedRedirectURI)])
	// Output:
	// true http://localhost:8000/authorized
}
