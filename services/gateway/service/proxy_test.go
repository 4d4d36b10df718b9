package service_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/gateway/service"
)

// TestTrustedProxies: behind a configured reverse proxy, the services get
// the client's address as the last x-forwarded-for entry (where they read
// it for their per-address limits), for API calls and pages alike, not the
// proxy's, which every visitor would share.
func TestTrustedProxies(t *testing.T) {
	e := startWith(t, func(c *service.Config) { c.TrustedProxies = "127.0.0.0/8, ::1" })
	for _, path := range []string{"/api/v1/petitions/" + petitionID, "/petitions/" + petitionID} {
		req, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
		if r := e.do(t, req); r.status != http.StatusOK {
			t.Fatalf("%s: HTTP %d", path, r.status)
		}
		if x := e.petitions.lastMetadata().Get("x-forwarded-for"); len(x) != 1 || x[0] != "198.51.100.1, 203.0.113.9" {
			t.Errorf("%s through the proxy: x-forwarded-for %q, want the client last", path, x)
		}
	}

	// Not configured: the header is the client's word, the peer comes last.
	plain := start(t)
	req, _ := http.NewRequest(http.MethodGet, plain.base+"/api/v1/petitions/"+petitionID, nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	plain.do(t, req)
	if x := plain.petitions.lastMetadata().Get("x-forwarded-for"); len(x) != 1 || !strings.HasSuffix(x[0], ", 127.0.0.1") {
		t.Errorf("without trusted proxies: x-forwarded-for %q, want the peer last", x)
	}
}

func TestTrustedProxiesMustParse(t *testing.T) {
	_, err := service.New(context.Background(), service.Config{HTTPAddr: "127.0.0.1:0", TrustedProxies: "10.0.0.0/8, proxy.internal",
		MembershipAddr: "127.0.0.1:1", PetitionAddr: "127.0.0.1:1", EventsAddr: "127.0.0.1:1", NotificationAddr: "127.0.0.1:1"}, zap.NewNop())
	if err == nil || !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
		t.Fatalf("New with a bad TRUSTED_PROXIES: %v", err)
	}
}
