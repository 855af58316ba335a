package mockprovider

import (
	"net/http"
	"net/url"
	"slices"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/scope"
)

// pageError is an authorization error the provider must not redirect:
// the client or the redirect URI cannot be trusted (RFC 6749 §4.1.2.1).
type pageError struct {
	title, message string
	client         *Client
	presented      string
	analysis       *RedirectAnalysis
	profile        *ProfileVerdict
}

func (p *Provider) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		p.authorize(w, r)
	case http.MethodPost:
		p.consent(w, r)
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// authorize handles an authorization request (RFC 6749 §4.1.1) from a
// browser.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	p.answerAuthorize(w, r, "")
}

// answerAuthorize checks an authorization request and answers it: an
// error page when the client or redirect URI cannot be trusted, else a
// redirect to the client with an error or a code. approvedBy, when not
// empty, is the user who signs in and consents (see [Provider.Authorize]);
// otherwise the browser's session, [WithAutoApprove], or the login and
// consent pages decide.
func (p *Provider) answerAuthorize(w http.ResponseWriter, r *http.Request, approvedBy string) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.renderError(w, http.StatusBadRequest, "Malformed authorization request",
			"The query string could not be parsed ("+err.Error()+"); the provider cannot tell which client sent it.")
		return
	}
	req, pe := p.checkClientAndRedirect(q)
	if pe != nil {
		p.refuseWithoutRedirect(w, r, q, pe)
		return
	}
	if in, ok := p.nextInjected(PathAuthorize); ok {
		// A queued error (see serveInjected), redirected like any other.
		req.state, _ = param(q, "state", true)
		p.redirectError(w, r, req, in.err)
		return
	}
	if e := p.checkRequest(q, req); e != nil {
		p.redirectError(w, r, req, e)
		return
	}
	if e := p.checkOpenID(q, req, p.baseURL(r)); e != nil {
		p.redirectError(w, r, req, e)
		return
	}
	s := p.sessionFor(r, req)
	switch {
	case approvedBy != "":
		req.authTime = p.clock.Now()
		p.issueCode(w, r, approvedBy, req)
	case s == nil && p.cfg.autoApprove != "":
		req.authTime = p.clock.Now()
		p.issueCode(w, r, p.cfg.autoApprove, req)
	case s == nil && req.openID.promptNone() && !p.quirk(QuirkPromptNoneShowsLogin):
		p.redirectError(w, r, req, ErrLoginRequired.WithDescription("the user is not signed in (or must sign in again) and prompt=none forbids asking"))
	case s == nil:
		p.sendToLogin(w, r, q, req)
	case req.client.Trusted || (req.openID.promptNone() && p.consentedBefore(s, req)):
		req.authTime = s.authTime
		p.issueCode(w, r, s.username, req)
	case req.openID.promptNone():
		p.redirectError(w, r, req, ErrConsentRequired.WithDescription("the user has not allowed this client these scopes and prompt=none forbids asking"))
	default:
		req.authTime = s.authTime
		p.askConsent(w, s, req)
	}
}

// refuseWithoutRedirect shows the error page of a request whose client
// or redirect URI cannot be trusted (RFC 6749 §4.1.2.1).
func (p *Provider) refuseWithoutRedirect(w http.ResponseWriter, r *http.Request, q url.Values, pe *pageError) {
	if pe.analysis != nil && p.quirk(QuirkRedirectErrorUnregistered) {
		// The quirk: an open redirector that sends the error anyway.
		state, _ := param(q, "state", true)
		p.redirectError(w, r, &authorizeRequest{redirectURI: pe.presented, state: state},
			ErrInvalidRequest.WithDescription("redirect_uri does not match"))
		return
	}
	p.showPageError(w, pe)
}

// sendToLogin redirects a browser without a session to the login page,
// which comes back to the authorization request afterwards.
func (p *Provider) sendToLogin(w http.ResponseWriter, r *http.Request, q url.Values, req *authorizeRequest) {
	// The parsed query, re-encoded: whatever raw bytes the request
	// carried, the login page accepts it as next.
	next := PathAuthorize + "?" + withoutPromptLogin(q, req).Encode()
	if len(next) > maxNextLength {
		p.redirectError(w, r, req, ErrInvalidRequest.WithDescription("the authorization request is longer than %d bytes", maxNextLength))
		return
	}
	http.Redirect(w, r, PathLogin+"?next="+url.QueryEscape(next), http.StatusFound)
}

// askConsent shows the consent page for a signed-in user.
func (p *Provider) askConsent(w http.ResponseWriter, s *session, req *authorizeRequest) {
	pc := &pendingConsent{id: p.ids.String(sessionIDLength), sessionID: s.id, req: *req}
	p.mu.Lock()
	p.st.consents.Put(pc.id, pc)
	p.mu.Unlock()
	p.render(w, http.StatusOK, "consent", struct {
		Title, User, ConsentID, RedirectURI string
		Client                              *Client
		Scopes                              []string
	}{"Authorize " + req.client.Name, s.username, pc.id, req.target(), req.client, req.scopes})
}

func (p *Provider) showPageError(w http.ResponseWriter, pe *pageError) {
	page := errorPage{Title: pe.title, Message: pe.message, Presented: pe.presented}
	if pe.client != nil {
		page.Registered = pe.client.RedirectURIs
	}
	if pe.analysis != nil {
		page.Analysis = newAnalysisView(pe.analysis)
	}
	page.Profile = pe.profile
	p.log.Info("authorization refused without redirect", "reason", pe.title, "presented", pe.presented)
	p.render(w, http.StatusBadRequest, "error", page)
}

// checkClientAndRedirect identifies the client and the redirect URI, the
// two things that must hold before any error may be redirected.
func (p *Provider) checkClientAndRedirect(q url.Values) (*authorizeRequest, *pageError) {
	clientID, e := param(q, "client_id", false)
	if e != nil {
		return nil, &pageError{title: "Invalid client_id", message: e.Description}
	}
	if clientID == "" {
		return nil, &pageError{title: "Missing client_id", message: "The authorization request has no client_id (RFC 6749 §4.1.1)."}
	}
	c := p.client(clientID)
	if c == nil {
		return nil, &pageError{title: "Unknown client", message: "No application is registered with client_id " + clientID + "."}
	}
	presented, e := param(q, "redirect_uri", false)
	if e != nil {
		return nil, &pageError{title: "Invalid redirect_uri", message: e.Description, client: c}
	}
	// A provider profile rules unless a redirect quirk is on; the quirks
	// are consulted only for a client with a profile, or below for a URI
	// that is not registered.
	if prof, ok := LookupRedirectProfile(p.clientPolicy(c)); ok {
		if _, quirked := p.quirkPolicy(); !quirked {
			return p.profileRedirect(prof, c, presented)
		}
	}
	if presented == "" {
		if len(c.RedirectURIs) != 1 {
			return nil, &pageError{title: "Missing redirect_uri", client: c,
				message: "This client has several registered redirect URIs, so the request must name one (RFC 6749 §3.1.2.3)."}
		}
		return &authorizeRequest{client: c, redirectURI: c.RedirectURIs[0]}, nil
	}
	// Every policy accepts the registered URI itself: the redirect quirks
	// are consulted only for a URI that is not registered.
	if slices.Contains(c.RedirectURIs, presented) {
		return &authorizeRequest{client: c, redirectURI: presented, redirectGiven: true}, nil
	}
	policy := p.policyFor(c)
	for _, reg := range c.RedirectURIs {
		if policy.Match(reg, presented) {
			return &authorizeRequest{client: c, redirectURI: presented, redirectGiven: true}, nil
		}
	}
	pe := &pageError{title: "Redirect URI mismatch", client: c, presented: presented,
		message: "The redirect_uri " + presented + " is not registered for " + c.Name + " (matching policy: " + string(policy) + ")."}
	pe.analysis = closestAnalysis(c.RedirectURIs, presented)
	if pe.analysis == nil {
		pe.message = "The redirect_uri " + presented + " is not an absolute URI, so it cannot match a registered one."
	} else {
		pe.message = "The redirect_uri " + presented + " does not match the registered " + pe.analysis.Registered +
			": they differ in " + pe.analysis.Components() + " (matching policy: " + string(policy) + ")."
	}
	return nil, pe
}

// closestAnalysis analyses presented against the registered URI it
// differs least from; nil when presented is not an absolute URI.
func closestAnalysis(registered []string, presented string) *RedirectAnalysis {
	var best *RedirectAnalysis
	for _, reg := range registered {
		a, err := AnalyzeRedirect(reg, presented)
		if err != nil {
			continue
		}
		if best == nil || len(a.Differences) < len(best.Differences) {
			best = a
		}
	}
	return best
}

// checkRequest validates the rest of the request; its errors are
// redirected to the client with the state (RFC 6749 §4.1.2.1).
func (p *Provider) checkRequest(q url.Values, req *authorizeRequest) *Error {
	req.state, _ = param(q, "state", true)
	// The quirks are consulted only where they change the outcome: a
	// repeated parameter, a response_type other than code.
	get := func(name string) (string, *Error) {
		return param(q, name, len(q[name]) > 1 && p.quirk(QuirkRepeatedParametersAccepted))
	}
	for _, name := range []string{"state", "response_type", "scope", "code_challenge", "code_challenge_method"} {
		if _, e := get(name); e != nil {
			return e
		}
	}
	responseType, _ := get("response_type")
	switch {
	case responseType == "code":
	case p.quirk(QuirkResponseTypeIgnored):
	case responseType == "":
		return ErrInvalidRequest.WithDescription("response_type is missing (RFC 6749 §4.1.1)")
	case responseType != "code":
		return ErrUnsupportedResponseType.WithDescription("response_type %q is not supported; use code", responseType)
	}
	raw, _ := get("scope")
	scopes, err := scope.Parse(raw)
	if err != nil {
		return ErrInvalidScope.WithDescription("%v", err)
	}
	if len(scopes) == 0 {
		scopes = req.client.defaultScopes()
	}
	var granted []string
	for _, s := range scopes {
		switch {
		case slices.Contains(req.client.Scopes, s):
			granted = append(granted, s)
		case p.quirk(QuirkScopeUnknownGranted):
			req.omitScope = true
		default:
			return ErrInvalidScope.WithDescription("scope %q is not registered for this client (registered: %s)", s, scope.Join(req.client.Scopes))
		}
	}
	req.scopes = granted
	return p.checkPKCE(q, req, get)
}

// checkPKCE validates code_challenge and code_challenge_method (RFC 7636
// §4.3, §4.4.1).
func (p *Provider) checkPKCE(q url.Values, req *authorizeRequest, get func(string) (string, *Error)) *Error {
	challenge, _ := get("code_challenge")
	method, _ := get("code_challenge_method")
	switch {
	case challenge == "" && method != "":
		return ErrInvalidRequest.WithDescription("code_challenge_method without code_challenge")
	case challenge == "":
		if p.cfg.pkce != PKCEOptional {
			return ErrInvalidRequest.WithDescription("PKCE is required: send code_challenge (RFC 7636)")
		}
		if req.client.Public {
			return ErrInvalidRequest.WithDescription("public clients must use PKCE: send code_challenge (RFC 9700 §2.1.1)")
		}
		return nil
	}
	if method == "" {
		method = "plain"
	}
	if method != "plain" && method != "S256" {
		return ErrInvalidRequest.WithDescription("code_challenge_method %q is not supported; use S256 or plain", method)
	}
	if method == "plain" && p.cfg.pkce == PKCERequiredS256 {
		return ErrInvalidRequest.WithDescription("code_challenge_method plain is not allowed; use S256 (RFC 9700 §2.1.1)")
	}
	if !validVerifier(challenge) {
		return ErrInvalidRequest.WithDescription("code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.2)")
	}
	req.challenge, req.method = challenge, method
	return nil
}
