// Package mongodb connects services to their own MongoDB database (or the
// embedded FerretDB that speaks the same wire protocol), creates indexes, and
// classifies driver errors so callers can map them onto gRPC codes.
//
// Everything here sticks to what both MongoDB and FerretDB v1 support: no
// transactions, no TTL indexes, no change streams.
package mongodb
