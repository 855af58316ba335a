package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

// A provider redirects the browser to the client's callback, where nothing
// listens: the session answers it in-process and captures the code.
func ExampleSession_Intercept() {
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:8000/authorized?code=abc&state=xyz", http.StatusFound)
	}))
	defer provider.Close()

	ctx := context.Background()
	b, err := browser.Launch(ctx, browser.Options{LoopbackOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	s, err := b.NewSession(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	callback, err := s.Intercept("http://localhost:8000/authorized", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>Signed in.</p>")
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Navigate(provider.URL + "/authorize"); err != nil {
		fmt.Println(err)
		return
	}
	req, err := callback.Wait(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := s.Text()
	fmt.Println(req.URL.Query().Get("code"), req.URL.Query().Get("state"))
	fmt.Println(s.URL())
	fmt.Println(text)
	// Output:
	// abc xyz
	// http://localhost:8000/authorized?code=abc&state=xyz
	// Signed in.
}
