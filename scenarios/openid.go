package scenarios

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// DiscoveryPath is where an OpenID Provider publishes its configuration,
// appended to the issuer without its trailing slash (OpenID Connect
// Discovery 1.0 §4, §4.1).
const DiscoveryPath = "/.well-known/openid-configuration"

// OpenIDConfiguration is the part of an OpenID Provider's metadata
// (Discovery §3, RP-Initiated Logout §2.1, RFC 9207 §3) the suite reads.
type OpenIDConfiguration struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	UserinfoEndpoint                           string   `json:"userinfo_endpoint"`
	JWKSURI                                    string   `json:"jwks_uri"`
	EndSessionEndpoint                         string   `json:"end_session_endpoint"`
	ScopesSupported                            []string `json:"scopes_supported"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	SubjectTypesSupported                      []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported"`
	ClaimsSupported                            []string `json:"claims_supported"`
	AuthorizationResponseIssParameterSupported bool     `json:"authorization_response_iss_parameter_supported"`
}

// DiscoveryURL is the configuration's URL for an issuer (Discovery §4.1:
// any terminating slash of the issuer is removed first).
func DiscoveryURL(issuer string) string { return strings.TrimSuffix(issuer, "/") + DiscoveryPath }

// ParseOpenIDConfiguration decodes a discovery response body; a field of
// the wrong JSON type is an error that names it.
func ParseOpenIDConfiguration(body []byte) (*OpenIDConfiguration, error) {
	var c OpenIDConfiguration
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("not the JSON object of Discovery §3: %v", err)
	}
	return &c, nil
}

// Problems lists what breaks Discovery §3 and §4.3 in the configuration
// fetched for issuer, each with its rule; none means well-formed.
func (c *OpenIDConfiguration) Problems(issuer string) []string {
	var out []string
	if c.Issuer != issuer {
		out = append(out, fmt.Sprintf("issuer is %q, not identical to the issuer %q it was fetched for (Discovery §4.3)", c.Issuer, issuer))
	}
	for _, f := range []struct{ name, v string }{
		{"authorization_endpoint", c.AuthorizationEndpoint}, {"token_endpoint", c.TokenEndpoint}, {"jwks_uri", c.JWKSURI},
	} {
		if err := absoluteURL(f.v); err != nil {
			out = append(out, fmt.Sprintf("%s %v (Discovery §3: REQUIRED)", f.name, err))
		}
	}
	for _, f := range []struct{ name, v string }{{"userinfo_endpoint", c.UserinfoEndpoint}, {"end_session_endpoint", c.EndSessionEndpoint}} {
		if f.v != "" {
			if err := absoluteURL(f.v); err != nil {
				out = append(out, fmt.Sprintf("%s %v (Discovery §3)", f.name, err))
			}
		}
	}
	if !slices.Contains(c.ResponseTypesSupported, "code") {
		out = append(out, fmt.Sprintf("response_types_supported %q lacks code (Discovery §3: REQUIRED; the code flow is what the suite tests)", c.ResponseTypesSupported))
	}
	if len(c.SubjectTypesSupported) == 0 {
		out = append(out, "subject_types_supported is missing or empty (Discovery §3: REQUIRED)")
	}
	if !slices.Contains(c.IDTokenSigningAlgValuesSupported, "RS256") {
		out = append(out, fmt.Sprintf("id_token_signing_alg_values_supported %q lacks RS256 (Discovery §3: RS256 MUST be included)", c.IDTokenSigningAlgValuesSupported))
	}
	if c.ScopesSupported != nil && !slices.Contains(c.ScopesSupported, "openid") {
		out = append(out, fmt.Sprintf("scopes_supported %q lacks openid (Discovery §3: the server MUST support the openid scope)", c.ScopesSupported))
	}
	return out
}

// absoluteURL checks that a metadata value is an absolute http(s) URL
// without a fragment.
func absoluteURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("is missing")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Fragment != "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	return nil
}

// isJSON reports whether a Content-Type is application/json (Discovery
// §4.2) or another +json type.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// ParseJWKS decodes a JWK Set (RFC 7517 §5) with go-jose; a key it cannot
// read is an error naming the key.
func ParseJWKS(body []byte) (*jose.JSONWebKeySet, error) {
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("not a JWK Set (RFC 7517 §5): %v", err)
	}
	if raw.Keys == nil {
		return nil, fmt.Errorf("not a JWK Set: no keys member (RFC 7517 §5)")
	}
	set := &jose.JSONWebKeySet{}
	for i, k := range raw.Keys {
		var key jose.JSONWebKey
		if err := key.UnmarshalJSON(k); err != nil {
			return nil, fmt.Errorf("keys[%d] cannot be read: %v", i, err)
		}
		set.Keys = append(set.Keys, key)
	}
	return set, nil
}

// JWKSProblems lists what makes a JWK Set unusable or unsafe for id_token
// signatures (Core §10.1, RFC 7517 §4-5): private or symmetric key
// material, no signature key, duplicate or missing kids among several
// keys. notes say what the provider chose where the rules allow it.
func JWKSProblems(set *jose.JSONWebKeySet) (problems, notes []string) {
	kids := map[string]int{}
	sig := 0
	for i, k := range set.Keys {
		name := fmt.Sprintf("keys[%d] (kid %q)", i, k.KeyID)
		if _, symmetric := k.Key.([]byte); symmetric {
			problems = append(problems, name+" is a symmetric key: publishing it gives the secret away")
			continue
		}
		if !k.IsPublic() {
			problems = append(problems, name+" carries private key material (RFC 7517 §9.2: a JWKS publishes public keys)")
		}
		if k.Use == "" || k.Use == "sig" {
			sig++
		}
		if k.KeyID == "" && len(set.Keys) > 1 {
			problems = append(problems, name+" has no kid although the set has several keys (Core §10.1)")
		}
		kids[k.KeyID]++
	}
	if sig == 0 {
		problems = append(problems, "no key for signatures (use sig or no use)")
	}
	for kid, n := range kids {
		if kid != "" && n > 1 {
			notes = append(notes, fmt.Sprintf("kid %q names %d keys (RFC 7517 §4.5: distinct kids SHOULD be used)", kid, n))
		}
	}
	slices.Sort(notes)
	return problems, notes
}
