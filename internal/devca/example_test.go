package devca_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/devca"
)

// Serve HTTPS with a certificate made at start, and trust it from a
// client through the CA file written.
func ExampleServerOptions() {
	dir, _ := os.MkdirTemp("", "devca-example-")
	defer os.RemoveAll(dir)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	cfg, caFile, err := devca.ServerOptions{Generate: true, Listen: srv.Listener.Addr().String(),
		CAOut: filepath.Join(dir, "ca.pem"), Name: "example CA"}.Config()
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	roots, _ := devca.CertPool(caFile)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := client.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))
	// Output: 200 OK hello
}
