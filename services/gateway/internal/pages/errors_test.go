package pages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// TestTooManyPassesRetryAfterOn: a public write the petition service
// refuses for its rate limit gets a 429 page in the visitor's language,
// saying when to retry as the service did.
func TestTooManyPassesRetryAfterOn(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := status.New(codes.ResourceExhausted, "too many requests from your network address").
		WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(90 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/propose", nil)
	r.Header.Set("Accept-Language", "ca")
	w := httptest.NewRecorder()
	p.tooMany(w, r, st.Err())
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "90" || !strings.Contains(w.Body.String(), "Massa intents") {
		t.Errorf("HTTP %d, Retry-After %q:\n%s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
}
