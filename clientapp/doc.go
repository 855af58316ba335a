// Package clientapp is the seed's sample OAuth2 client (client.py at http://localhost:8000) in Go.
// [App] is an [http.Handler] that signs the user in at a provider with golang.org/x/oauth2 and shows the seed's page.
// With scope openid it is an OpenID Connect relying party: it verifies the id_token with go-oidc (see [Config.Issuer]).
// Run `go run ./clientapp/cmd/clientapp`, or serve [New]([DefaultConfig]) yourself, then open [App.HomeURL].
package clientapp
