package hydra

import "net/http"

// showLogout serves GET /logout?logout_challenge=...: Hydra hands an
// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) to the
// login app, after checking id_token_hint and post_logout_redirect_uri
// itself. The app accepts it, as the seed's pages have no sign-out
// confirmation, and the browser goes back to Hydra, which ends the
// session and redirects to the post_logout_redirect_uri.
func (a *loginApp) showLogout(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("logout_challenge")
	if challenge == "" {
		a.renderError(w, http.StatusBadRequest, "Bad sign-out link", "The logout_challenge parameter is missing; start again at the client.")
		return
	}
	a.logger.Info("logout accepted")
	to, err := a.admin.acceptLogout(r.Context(), challenge)
	a.proceed(w, r, "logout", to, err)
}
