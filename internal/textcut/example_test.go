package textcut_test

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

func ExampleCut() {
	fmt.Println(textcut.Cut("päivää", 3))
	fmt.Println(textcut.Cut("moi", 3))
	// Output:
	// päi…
	// moi
}
