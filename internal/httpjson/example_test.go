package httpjson_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/httpjson"
)

func ExampleWrite() {
	rec := httptest.NewRecorder()
	_ = httpjson.Write(rec, http.StatusBadRequest, map[string]string{"error": "invalid_grant"}, httpjson.NoStore())
	fmt.Println(rec.Code, rec.Header().Get("Cache-Control"))
	fmt.Print(rec.Body.String())
	// Output:
	// 400 no-store
	// {"error":"invalid_grant"}
}
