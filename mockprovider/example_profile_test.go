package mockprovider_test

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// Would GitHub accept a redirect_uri one directory below the registered
// callback URL? Would Google?
func ExampleRedirectProfile_Judge() {
	for _, name := range []mockprovider.RedirectPolicy{"github", "google"} {
		p, _ := mockprovider.LookupRedirectProfile(name)
		d := p.Judge("https://app.example.com/callback", "https://app.example.com/callback/deeper")
		fmt.Println(name, d.Accepts, d.Rule)
	}
	// Output:
	// github true github/sub-path
	// google false google/exact-match
}

// Every profile's verdict on a localhost redirect URI with another port.
func ExampleJudgeProfiles() {
	for _, v := range mockprovider.JudgeProfiles("http://localhost:8000/cb", "http://localhost:51234/cb") {
		fmt.Printf("%-21s %-5v %s\n", v.Profile, v.Accepts, v.Rule)
	}
	// Output:
	// github                false github/port
	// google                false google/exact-match
	// google-native         true  google-native/loopback-any-port
	// entra                 true  entra/localhost-port-ignored
	// keycloak              false keycloak/exact-match
	// hydra                 false hydra/exact-match
	// oidc-provider         false oidc-provider/exact-match
	// oidc-provider-native  true  oidc-provider-native/loopback-any-port
}

// A fixture's client, or the whole mock, can match as a provider does.
func ExampleWithRedirectPolicy_profile() {
	p, err := mockprovider.New(mockprovider.WithRedirectPolicy("entra"))
	fmt.Println(p != nil, err)
	_, err = mockprovider.New(mockprovider.WithRedirectPolicy("gitlab"))
	fmt.Println(err != nil)
	// Output:
	// true <nil>
	// true
}
