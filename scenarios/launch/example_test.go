package launch_test

import (
	"context"
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

func ExampleOpen() {
	p, err := launch.Open(context.Background(), "mock", launch.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	fmt.Println(p.Name, "-", p.Mode)
	fmt.Println(p.Primary().RedirectURI, p.Capabilities)
	// Output:
	// mock - embedded mock provider
	// http://localhost:8000/authorized [pkce refresh clock openid]
}
