package console_test

import (
	"net/http"
	"testing"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
)

// TestSingleSignOnNeedsVerifiedEmail: an email address names the person
// only when the provider says it verified it (email_verified true, or the
// string "true"). Otherwise a representative is refused (their address is
// their sign-in subject: an unverified one could be anyone's) and a
// coordinator is recorded by their provider subject instead.
func TestSingleSignOnNeedsVerifiedEmail(t *testing.T) {
	is := newIssuer(t)
	e := newEnv(t, withOIDC(is))
	unverified := map[string]map[string]any{
		"absent":             {},
		"false":              {"email_verified": false},
		`the string "false"`: {"email_verified": "false"},
		"a number":           {"email_verified": 1},
	}
	for name, extra := range unverified {
		claims := func(sub, email, group string) map[string]any {
			c := map[string]any{"sub": sub, "email": email, "groups": []string{group}}
			for k, v := range extra {
				c[k] = v
			}
			return c
		}
		rep := e.browser()
		is.claims = claims("u-rep", repEmail, "cc4dr-representatives")
		if r := rep.singleSignOn(t, "/console/"); r.code != http.StatusForbidden || rep.cookie("coalition_console") != "" {
			t.Errorf("representative, email_verified %s: HTTP %d, want 403 and no session", name, r.code)
		}

		coord := e.browser()
		is.claims = claims("u-coord", "alex@example.org", "cc4dr-coordinators")
		if r := coord.singleSignOn(t, "/console/applications"); r.code != http.StatusSeeOther {
			t.Fatalf("coordinator, email_verified %s: HTTP %d\n%s", name, r.code, r.body)
		}
		coord.get("/console/applications")
		if c := e.fake.lastCaller(); c.Role != optionsv1.Role_ROLE_COORDINATOR || c.Subject != "oidc:u-coord" {
			t.Errorf("coordinator, email_verified %s: backend token subject %q, want the provider subject", name, c.Subject)
		}
	}

	// The string "true" counts as verified.
	rep := e.browser()
	is.claims = map[string]any{"sub": "u-rep", "email": repEmail, "email_verified": "true", "groups": "cc4dr-representatives"}
	if r := rep.singleSignOn(t, "/console/"); r.code != http.StatusSeeOther {
		t.Fatalf(`representative, email_verified "true": HTTP %d\n%s`, r.code, r.body)
	}
	rep.get("/console/")
	if c := e.fake.lastCaller(); c.Role != optionsv1.Role_ROLE_REPRESENTATIVE || c.Subject != repID || c.MemberID != portoID {
		t.Fatalf(`representative, email_verified "true": backend token %+v`, c)
	}
}
