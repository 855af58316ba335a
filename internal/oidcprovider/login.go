package oidcprovider

// Selectors are the CSS selectors of the provider's development
// interaction pages, for a browser that signs in and consents.
type Selectors struct {
	// Username and Password are the login form's fields.
	Username, Password string
	// Submit sends the login form.
	Submit string
	// Consent grants on the consent page; Deny is its "[ Cancel ]" link,
	// which ends the request with error=access_denied (RFC 6749 §4.1.2.1).
	Consent, Deny string
	// LogoutConfirm is "Yes, sign me out" on the page RP-initiated logout
	// shows first (RP-Initiated Logout 1.0 §2).
	LogoutConfirm string
}

// LoginSelectors are the selectors of oidc-provider's dev interactions:
// the login form posts login and password with a button of class
// login-submit; the consent page has one such button and an abort link;
// the logout page asks "Do you want to sign-out?".
var LoginSelectors = Selectors{
	Username: "input[name=login]",
	Password: "input[name=password]",
	Submit:   "button.login-submit",
	Consent:  "button.login-submit",
	Deny:     `a[href$="/abort"]`,
	// logoutSource in oidc-provider's lib/helpers/defaults.js.
	LogoutConfirm: "button[name=logout][value=yes]",
}
