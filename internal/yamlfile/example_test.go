package yamlfile_test

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/yamlfile"
)

func ExampleDecode() {
	var v struct {
		Name string `yaml:"name"`
	}
	_, err := yamlfile.Decode("target.yaml", []byte("name: mock\nnmae: typo\n"), &v)
	fmt.Println(err)

	doc, _ := yamlfile.Decode("target.yaml", []byte("name: \"\"\n"), &v)
	fmt.Println(doc.Errorf("name", "is required"))
	// Output:
	// target.yaml:2: unknown field "nmae"
	// target.yaml:1: name: is required
}
