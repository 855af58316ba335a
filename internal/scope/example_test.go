package scope_test

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

func ExampleParse() {
	scopes, err := scope.Parse("email  profile email")
	fmt.Println(scopes, err)
	_, err = scope.Parse(`email "admin"`)
	fmt.Println(err)
	// Output:
	// [email profile] <nil>
	// scope "\"admin\"" is not a valid scope token (RFC 6749 §3.3)
}
