// Package domain holds the events service's rules — what a valid assembly
// is, which time zones exist, who may see an assembly — with no storage or
// transport in sight.
package domain
