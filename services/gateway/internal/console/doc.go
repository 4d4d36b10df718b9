// Package console is the coordinator console: server-rendered pages under
// /console/ where coordinators review applications, keep the member
// directory, representatives and bodies, moderate petition proposals,
// schedule and follow assemblies (assemblies*.go), and watch suspicious
// signature bursts and email deliveries, and where
// representatives see and correct their own city's data and their own,
// and see and answer their invitations to assemblies (invitations.go).
//
// People sign in with a local account (package accounts: argon2id hashes in
// a file) or, when configured, an OpenID Connect provider. Sessions are
// kept on the server (package session) behind an HttpOnly, SameSite=Lax
// cookie scoped to /console, Secure when the public URL is https; they end
// when idle, at an absolute lifetime, at sign-out, or within a minute of
// the person's account or representative record being removed or changed
// (revalidate.go), and signing in always starts a new one. Sign-in
// attempts are rate-limited per network address (the client's, behind the
// gateway's trusted proxies) and failed ones per username, and an unknown
// username costs the same time as a wrong password.
//
// Every form carries the session's synchroniser token, checked on every
// POST before anything else happens (the gateway's cross-origin protection
// runs first as well). The console owns no data: each request calls the
// services over gRPC with a short-lived token it signs for the signed-in
// person (their role, and a representative's member), so the services
// authorise console actions exactly as they do API calls. The console
// checks roles too, to answer with a page rather than an error: a
// representative opening a coordinator's page gets 403.
//
// Pages need no JavaScript, load nothing from elsewhere, and reuse the
// public pages' stylesheet (/static/style.css) with a small one of their own.
package console
