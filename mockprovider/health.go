package mockprovider

import "net/http"

// HealthPath answers GET and HEAD with 200 {"status":"ok"} once the
// provider serves: the readiness check of a container (Docker's
// HEALTHCHECK, a docker-compose healthcheck, a Kubernetes probe). It
// answers any client, reveals nothing and is left out of the request log.
const HealthPath = "/healthz"

func (p *Provider) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Status string `json:"status"`
	}{"ok"})
}
