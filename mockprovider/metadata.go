package mockprovider

import (
	"net/http"
	"slices"
)

// Metadata is the authorization server metadata (RFC 8414 §2).
type Metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint"`
	RegistrationPage                  string   `json:"registration_page"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	// AuthorizationResponseIssParameterSupported says that authorization
	// responses carry iss (RFC 9207 §3).
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
}

// Metadata returns the provider's metadata for the given base URL.
func (p *Provider) Metadata(base string) Metadata {
	scopes := []string{}
	for _, c := range p.Clients() {
		for _, s := range c.Scopes {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	methods := []string{"S256", "plain"}
	if p.cfg.pkce == PKCERequiredS256 {
		methods = []string{"S256"}
	}
	return Metadata{
		Issuer:                                     base,
		AuthorizationEndpoint:                      base + "/oauth/authorize",
		TokenEndpoint:                              base + "/oauth/token",
		RevocationEndpoint:                         base + "/oauth/revoke",
		IntrospectionEndpoint:                      base + "/oauth/introspect",
		RegistrationPage:                           base + "/oauth/register",
		UserinfoEndpoint:                           base + "/oauth/api/me",
		ScopesSupported:                            scopes,
		ResponseTypesSupported:                     []string{"code"},
		GrantTypesSupported:                        []string{"authorization_code", "refresh_token", "client_credentials"},
		TokenEndpointAuthMethodsSupported:          []string{AuthMethodBasic, AuthMethodPost},
		CodeChallengeMethodsSupported:              methods,
		AuthorizationResponseIssParameterSupported: true,
	}
}

func (p *Provider) handleMetadata(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	writeJSON(w, http.StatusOK, p.Metadata(p.baseURL(r)))
}
