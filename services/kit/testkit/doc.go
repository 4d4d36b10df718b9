// Package testkit gives component tests the real embedded store (FerretDB)
// and NATS JetStream server, started once per test package:
//
//	func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		env := testkit.Get(t)
//		db := env.Database(t)      // fresh database, dropped afterwards
//		nc, js := env.JetStream(t) // reconnects forever; closed afterwards
//		...
//	}
//
// Servers start on first use, so a package whose tests never call Get pays
// nothing. Tests share the servers: isolate with [Env.Database] and
// [UniqueName] for stream and consumer names. If the servers cannot start,
// tests are skipped — except under CI=true, where they fail.
package testkit
