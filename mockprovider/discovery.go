package mockprovider

import (
	"net/http"
	"slices"
)

// OpenIDConfiguration is the OpenID Provider metadata (OpenID Connect
// Discovery 1.0 §3), served at [PathDiscovery]. Its issuer is exactly the
// iss of the provider's tokens and the URL it is served under, without
// the well-known suffix (§4.3).
type OpenIDConfiguration struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	ClaimTypesSupported               []string `json:"claim_types_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	PromptValuesSupported             []string `json:"prompt_values_supported"`
	AuthorizationResponseIssParameter bool     `json:"authorization_response_iss_parameter_supported"`
	ClaimsParameterSupported          bool     `json:"claims_parameter_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	BackchannelLogoutSupported        bool     `json:"backchannel_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	RegistrationPage                  string   `json:"registration_page"`
}

// OpenIDConfiguration returns the provider's OpenID metadata for the given
// issuer (the base URL, without a trailing slash).
func (p *Provider) OpenIDConfiguration(issuer string) OpenIDConfiguration {
	md := p.Metadata(issuer)
	scopes := slices.Clone(OpenIDScopes)
	for _, s := range md.ScopesSupported {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	p.mu.Lock()
	clients := make([]Client, 0, len(p.st.clientOrder))
	for _, id := range p.st.clientOrder {
		clients = append(clients, *p.st.clients[id])
	}
	p.mu.Unlock()
	return OpenIDConfiguration{
		Issuer:                            issuer,
		AuthorizationEndpoint:             md.AuthorizationEndpoint,
		TokenEndpoint:                     md.TokenEndpoint,
		UserinfoEndpoint:                  issuer + PathUserinfo,
		JWKSURI:                           issuer + PathJWKS,
		EndSessionEndpoint:                issuer + PathEndSession,
		RevocationEndpoint:                md.RevocationEndpoint,
		IntrospectionEndpoint:             md.IntrospectionEndpoint,
		ScopesSupported:                   scopes,
		ResponseTypesSupported:            md.ResponseTypesSupported,
		ResponseModesSupported:            []string{"query"},
		GrantTypesSupported:               md.GrantTypesSupported,
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  SigningAlgs(),
		TokenEndpointAuthMethodsSupported: md.TokenEndpointAuthMethodsSupported,
		ClaimsSupported:                   claimNames(p.cfg.users, clients),
		ClaimTypesSupported:               []string{"normal"},
		CodeChallengeMethodsSupported:     md.CodeChallengeMethodsSupported,
		PromptValuesSupported:             []string{"none", "login", "consent"},
		AuthorizationResponseIssParameter: true,
		RegistrationPage:                  md.RegistrationPage,
	}
}

// handleDiscovery serves the OpenID Provider metadata (OpenID Connect
// Discovery 1.0 §4).
func (p *Provider) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	writeJSON(w, http.StatusOK, p.OpenIDConfiguration(p.baseURL(r)))
}
