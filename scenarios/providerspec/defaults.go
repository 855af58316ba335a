package providerspec

import "time"

// DefaultTimeout bounds each step of a scenario.
const DefaultTimeout = 10 * time.Second

// DefaultLogin is the form contract of the mock's and the project's
// Hydra login/consent pages.
var DefaultLogin = Login{
	Username: "input[name=username]",
	Password: "input[name=password]",
	Submit:   "button[type=submit]",
	Consent:  "button[name=confirm][value=yes]",
	Deny:     "button[name=confirm][value=no]",
}

// ApplyDefaults fills what a target file may leave out: the unknown
// scope, the me field, the login selectors, the clients' auth method and
// the step timeout. It is the one place defaults are applied; [Parse]
// calls it before [Spec.Validate].
func (s *Spec) ApplyDefaults() {
	if len(s.Scopes.Granted) == 0 {
		s.Scopes.Granted = nil
	}
	if s.Scopes.Unknown == "" {
		s.Scopes.Unknown = "not-a-scope"
	}
	if s.User.MeField == "" {
		s.User.MeField = "username"
	}
	if s.Login == (Login{}) {
		s.Login = DefaultLogin
	}
	for _, c := range s.Clients {
		if c != nil && c.AuthMethod == "" {
			c.AuthMethod = "client_secret_basic"
		}
	}
	if s.Timeout == 0 {
		s.Timeout = Duration(DefaultTimeout)
	}
}
