// Package auth issues and checks the platform's tokens and enforces, on every
// gRPC call, the access each method declares in the proto contract with the
// (coalition.options.v1.access) option. Tokens are JWTs signed with Ed25519
// (EdDSA). A method that declares no access is refused: the check fails closed.
package auth
