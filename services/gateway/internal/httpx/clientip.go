package httpx

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how many X-Forwarded-For entries are read.
const maxForwardedHops = 20

// ParseTrustedProxies reads TRUSTED_PROXIES: addresses or CIDR ranges of
// the reverse proxies in front of the gateway, comma-separated.
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or CIDR range", s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// realClient makes a request that came through a trusted reverse proxy
// look as if the client had sent it directly: r.RemoteAddr becomes the
// rightmost X-Forwarded-For address that is not a trusted proxy (entries
// left of it are the client's own word, right of it our proxies'), and
// X-Forwarded-For keeps only the entries left of it. So ClientIP, every
// per-address limit in the gateway, and the address the services see as
// the last x-forwarded-for entry (ForwardedFor, grpc-gateway) are the
// client's, not the proxy's — behind a proxy, every visitor would
// otherwise share its address and its limits. A request whose peer is not
// a trusted proxy is left alone.
func realClient(next http.Handler, trusted []netip.Prefix) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if peer, ok := parseAddr(ClientIP(r)); ok && isTrusted(peer, trusted) {
			if client, left, ok := forwardedClient(r, trusted); ok {
				r = r.Clone(r.Context())
				r.RemoteAddr = net.JoinHostPort(client.String(), "0")
				r.Header.Del("X-Forwarded-For")
				if left != "" {
					r.Header.Set("X-Forwarded-For", left)
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedClient walks X-Forwarded-For from the right past trusted
// proxies. It reports the first other address and the entries left of
// it; ok is false when the header is missing, too long or malformed
// (the peer's address then stands), and when every entry is a trusted
// proxy the leftmost is the client.
func forwardedClient(r *http.Request, trusted []netip.Prefix) (client netip.Addr, left string, ok bool) {
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for h := range strings.SplitSeq(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
			if len(hops) > maxForwardedHops {
				return netip.Addr{}, "", false
			}
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, valid := parseAddr(hops[i])
		if !valid {
			return netip.Addr{}, "", false
		}
		if !isTrusted(a, trusted) || i == 0 {
			return a, strings.Join(hops[:i], ", "), true
		}
	}
	return netip.Addr{}, "", false
}

// parseAddr reads an address as proxies write it: bare, or with a port.
func parseAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
