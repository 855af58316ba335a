package providerspec_test

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

func ExampleParse() {
	spec, err := providerspec.Parse("my-provider.yaml", []byte(`
name: my-provider
issuer: https://login.example.com
clients:
  primary: {id: app, secret: s3cret, redirect_uri: "http://127.0.0.1:8000/authorized"}
user: {username: alice, password: wonderland}
capabilities: [pkce]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Primary().AuthMethod, spec.StepTimeout(), spec.Login.Submit)
	fmt.Println(spec.Lacks(providerspec.Refresh))

	_, err = providerspec.Parse("bad.yaml", []byte("name: bad\nissuer: /relative\n"))
	fmt.Println(err)
	// Output:
	// client_secret_basic 10s button[type=submit]
	// the target does not declare capability "refresh"
	// target: bad.yaml:2: issuer: "/relative" is not an absolute http(s) URL
}
