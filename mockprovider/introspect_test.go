package mockprovider_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestIntrospectionIsForTheTokensOwnClient (issue 9): a public client
// cannot introspect at all, a confidential client learns only about its
// own tokens, and a client marked resource_server about any.
func TestIntrospectionIsForTheTokensOwnClient(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	public, err := srv.Register(mockprovider.Client{Name: "SPA", Public: true, RedirectURIs: []string{"http://localhost:9300/cb"}})
	require.NoError(t, err)
	rs, err := srv.Register(mockprovider.Client{Name: "API", ResourceServer: true, RedirectURIs: []string{"http://localhost:9400/cb"}})
	require.NoError(t, err)
	tr := userTokens(t, srv, seedParams())

	active := func(c tokenClient) bool {
		t.Helper()
		res := postForm(t, srv.URL, mockprovider.PathIntrospect, c, url.Values{"token": {tr.AccessToken}})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var ir mockprovider.IntrospectionResponse
		require.NoError(t, json.Unmarshal([]byte(res.Body), &ir))
		if !ir.Active {
			assert.Equal(t, mockprovider.IntrospectionResponse{}, ir, "an inactive answer tells nothing more")
		}
		return ir.Active
	}
	assert.True(t, active(seedPost), "the token's own client")
	assert.False(t, active(secondPost), "another confidential client")
	assert.True(t, active(tokenClient{id: rs.ID, secret: rs.Secret}), "a resource server")

	res := postForm(t, srv.URL, mockprovider.PathIntrospect, tokenClient{id: public.ID}, url.Values{"token": {tr.AccessToken}})
	assertTokenError(t, res, http.StatusUnauthorized, "invalid_client")
	assert.NotEmpty(t, res.Header.Get("WWW-Authenticate"))
}
