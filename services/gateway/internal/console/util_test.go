package console_test

import (
	"net/http"
	"net/http/httptest"
)

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func httptestRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}
