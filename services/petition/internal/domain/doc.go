// Package domain holds the petition service's rules — what a valid signature
// is, how emails are normalised, how confirmation tokens are made — with no
// storage or transport in sight.
package domain
