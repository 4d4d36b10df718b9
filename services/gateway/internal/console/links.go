package console

import "net/url"

// isWebLink reports whether s is an absolute http(s) URL, the only links
// the console turns data into (never javascript: or data:).
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
