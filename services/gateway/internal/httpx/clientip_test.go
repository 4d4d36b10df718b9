package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// TestClientBehindTrustedProxies: from a trusted proxy, the client is the
// rightmost X-Forwarded-For address that is not a trusted proxy, and the
// services get a forwarded-for list ending with it; from anyone else the
// header is the client's word and the peer stays the client.
func TestClientBehindTrustedProxies(t *testing.T) {
	trusted, err := httpx.ParseTrustedProxies([]string{"10.0.0.0/8", " 192.0.2.1 ", "2001:db8::/32", ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		xff        []string
		client     string
		forwarded  string
	}{
		{"direct, no header", "198.51.100.7:5000", nil, "198.51.100.7", "198.51.100.7"},
		{"direct, spoofed header", "198.51.100.7:5000", []string{"203.0.113.1"}, "198.51.100.7", "203.0.113.1, 198.51.100.7"},
		{"proxy", "10.0.0.2:443", []string{"203.0.113.9"}, "203.0.113.9", "203.0.113.9"},
		{"single trusted address", "192.0.2.1:443", []string{"203.0.113.9"}, "203.0.113.9", "203.0.113.9"},
		{"proxy chain", "10.0.0.2:443", []string{"203.0.113.9, 10.4.4.4"}, "203.0.113.9", "203.0.113.9"},
		{"client's own entries stay left", "10.0.0.2:443", []string{"1.2.3.4, 203.0.113.9", "10.4.4.4"}, "203.0.113.9", "1.2.3.4, 203.0.113.9"},
		{"spoofed trusted entry", "10.0.0.2:443", []string{"10.9.9.9, 203.0.113.9"}, "203.0.113.9", "10.9.9.9, 203.0.113.9"},
		{"with a port", "10.0.0.2:443", []string{"203.0.113.9:61000"}, "203.0.113.9", "203.0.113.9"},
		{"IPv6", "[2001:db8::1]:443", []string{"2001:db8:1::5, [2a00::7]:1234"}, "2a00::7", "2001:db8:1::5, 2a00::7"},
		{"every entry trusted", "10.0.0.2:443", []string{"10.1.1.1, 10.2.2.2"}, "10.1.1.1", "10.1.1.1"},
		{"proxy sent none", "10.0.0.2:443", nil, "10.0.0.2", "10.0.0.2"},
		{"garbage", "10.0.0.2:443", []string{"203.0.113.9, not-an-address"}, "10.0.0.2", "203.0.113.9, not-an-address, 10.0.0.2"},
	} {
		var client, forwarded string
		h := httpx.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			client, forwarded = httpx.ClientIP(r), httpx.ForwardedFor(r)
		}), httpx.Options{TrustedProxies: trusted})
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = c.peer
		for _, v := range c.xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if client != c.client || forwarded != c.forwarded {
			t.Errorf("%s: client %q, forwarded-for %q; want %q, %q", c.name, client, forwarded, c.client, c.forwarded)
		}
	}
}

func TestParseTrustedProxiesRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"proxy.example.org", "10.0.0.0/33", "10.0.0.1:80"} {
		if _, err := httpx.ParseTrustedProxies([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
