package mockprovider

// profileRedirect decides on the redirect_uri of an authorization request
// for a client whose matching is a provider profile ([RedirectProfile]):
// the profile's rules accept or refuse it, an omitted redirect_uri is
// handled as that provider documents, and an accepted request's response
// goes where that provider would send it (e.g. Entra adds "/" to an empty
// path). A refusal names the profile, its rule and its documentation.
func (p *Provider) profileRedirect(prof *RedirectProfile, c *Client, presented string) (*authorizeRequest, *pageError) {
	d := prof.JudgeClient(c.RedirectURIs, presented)
	v := &ProfileVerdict{Profile: prof.Name, Provider: prof.Provider, DocURL: prof.DocURL, RedirectDecision: d}
	if d.Accepts {
		req := &authorizeRequest{client: c, redirectURI: presented, redirectGiven: presented != "", respondTo: d.RedirectTo}
		if presented == "" {
			req.redirectURI = d.RedirectTo
		}
		p.log.Info("redirect_uri accepted by profile", "profile", prof.Name, "rule", d.Rule, "presented", presented, "redirect_to", d.RedirectTo)
		return req, nil
	}
	if presented == "" {
		return nil, &pageError{title: "Missing redirect_uri", client: c, profile: v,
			message: "The authorization request has no redirect_uri: " + d.Reason + " (profile " + string(prof.Name) + ")."}
	}
	pe := &pageError{title: "Redirect URI mismatch", client: c, presented: presented, profile: v,
		analysis: closestAnalysis(c.RedirectURIs, presented)}
	pe.message = "The redirect_uri " + presented + " is refused by the " + string(prof.Name) + " profile."
	if pe.analysis != nil {
		pe.message = "The redirect_uri " + presented + " does not match the registered " + pe.analysis.Registered +
			": they differ in " + pe.analysis.Components() + " (matching profile: " + string(prof.Name) + ")."
	}
	return nil, pe
}
