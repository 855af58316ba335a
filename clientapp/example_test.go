package clientapp_test

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
)

// The App is an http.Handler: serve it where the redirect URL points and open its HomeURL. Here a
// first visit to / is replayed in memory and shows the redirect to the provider's authorize page.
func Example() {
	cfg := clientapp.ConfigFromProviderURL("http://127.0.0.1:9000") // the mock provider's default address
	app, err := clientapp.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("open", app.HomeURL())

	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, app.HomeURL(), nil))
	loc, _ := url.Parse(rec.Header().Get("Location"))
	q := loc.Query()
	fmt.Println(rec.Code, loc.Scheme+"://"+loc.Host+loc.Path)
	fmt.Println("client_id:", q.Get("client_id"))
	fmt.Println("redirect_uri:", q.Get("redirect_uri"))
	fmt.Println("scope:", q.Get("scope"))
	fmt.Println("code_challenge_method:", q.Get("code_challenge_method"))
	// Output:
	// open http://localhost:8000/
	// 302 http://127.0.0.1:9000/oauth/authorize
	// client_id: QYRoovUXCg6WAWLmaH7qfdOBhmnPRSwPvpHgwPrq
	// redirect_uri: http://localhost:8000/authorized
	// scope: email
	// code_challenge_method: S256
}

// ConfigFromEnv and RegisterFlags give a command the seed's configuration: environment first,
// flags over it. cmd/clientapp does exactly this.
func ExampleConfigFromEnv() {
	env := map[string]string{"PROVIDER_URL": "https://internalproxy.com", "CLIENT_ID": "my-client"}
	cfg := clientapp.ConfigFromEnv(func(k string) string { return env[k] })
	fs := flag.NewFlagSet("clientapp", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"--scope", "email,profile", "--auth-style", "post"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.ClientID, cfg.TokenURL, cfg.Scopes)
	// Output:
	// my-client https://internalproxy.com/oauth/token [email profile]
}

// A real deployment serves the App on the address of its redirect URL.
func ExampleApp_serve() {
	cfg := clientapp.ConfigFromEnv(os.Getenv)
	app, err := clientapp.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("open %s", app.HomeURL())
	log.Fatal(http.ListenAndServe("127.0.0.1:8000", app))
}
