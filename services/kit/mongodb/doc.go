// Package mongodb connects services to their own MongoDB database (or the
// embedded FerretDB that speaks the same wire protocol), creates indexes, and
// classifies driver errors so callers can map them onto gRPC codes.
//
// Everything here sticks to what both MongoDB and FerretDB v1 support: no
// transactions, no TTL indexes, no change streams.
//
// Conditional updates ("update document X only if ...") go through an
// Updater: on MongoDB the condition (a Cond, which is both a query filter
// and a check in Go) rides in the filter, one atomic round trip; on the
// embedded store, which finds a document by index only for a filter that
// is exactly {_id: X}, it reads by _id, checks in Go and writes by _id under
// the document's lock (DocLocks). IsFerretDB tells the two apart, once at
// start; bench_test.go is the timing harness behind these choices.
package mongodb
