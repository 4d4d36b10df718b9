// Package embedded runs the platform's infrastructure inside the current
// process: a MongoDB-wire-compatible store (FerretDB v1 on SQLite) and a NATS
// server with JetStream. The dev launcher and component tests use them; the
// services themselves connect over the network exactly as they would to a
// real MongoDB and NATS cluster. The store indexes every collection's
// lookups by _id, which FerretDB v1.24 on SQLite otherwise answers by
// scanning (idindex.go).
package embedded
