package httpjson_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	type body struct {
		A string `json:"a"`
	}
	tests := []struct {
		name      string
		status    int
		v         any
		opts      []httpjson.Option
		wantCode  int
		wantBody  string
		wantType  string
		wantCache string
	}{
		{"plain", http.StatusOK, body{"x"}, nil, 200, "{\"a\":\"x\"}\n", "application/json", ""},
		{"no-store", http.StatusBadRequest, body{"x"}, []httpjson.Option{httpjson.NoStore()}, 400, "{\"a\":\"x\"}\n", "application/json", "no-store"},
		{"content type", http.StatusOK, body{"x"}, []httpjson.Option{httpjson.WithContentType("application/json;charset=UTF-8")}, 200, "{\"a\":\"x\"}\n", "application/json;charset=UTF-8", ""},
		{"html escaped by default", http.StatusOK, body{"<b>&"}, nil, 200, "{\"a\":\"\\u003cb\\u003e\\u0026\"}\n", "application/json", ""},
		{"verbatim, indented", http.StatusOK, body{"<b>"}, []httpjson.Option{httpjson.Verbatim(), httpjson.Indent("  ")}, 200, "{\n  \"a\": \"<b>\"\n}\n", "application/json", ""},
		{"unencodable", http.StatusOK, func() {}, []httpjson.Option{httpjson.NoStore()}, 500, "{\"error\":\"server_error\"}\n", "application/json", "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			err := httpjson.Write(rec, tt.status, tt.v, tt.opts...)
			if tt.wantCode == 500 {
				assert.ErrorContains(t, err, "httpjson: encoding func()")
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, tt.wantBody, rec.Body.String())
			assert.Equal(t, tt.wantType, rec.Header().Get("Content-Type"))
			assert.Equal(t, tt.wantCache, rec.Header().Get("Cache-Control"))
			if tt.wantCache != "" {
				assert.Equal(t, "no-cache", rec.Header().Get("Pragma"))
			}
		})
	}
}
