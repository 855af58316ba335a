package bearer_test

import (
	"errors"
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/bearer"
)

func ExampleParse() {
	tok, err := bearer.Parse("Bearer mF_9.B5f-4.1JqM")
	fmt.Println(tok, err)

	_, err = bearer.Parse("Bearer not a token")
	var be *bearer.Error
	if errors.As(err, &be) {
		fmt.Println(be.Code)
		fmt.Println(bearer.Challenge{Realm: "example", Error: be.Code, Description: be.Description})
	}
	// Output:
	// mF_9.B5f-4.1JqM <nil>
	// invalid_request
	// Bearer realm="example", error="invalid_request", error_description="the bearer token is malformed (RFC 6750 section 2.1)"
}
