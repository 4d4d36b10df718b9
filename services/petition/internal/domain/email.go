package domain

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail is the key used to find a person's signature again: the
// address with surrounding space removed, in Unicode NFKC form, case-folded.
// "  Ana@Example.ORG " and "ana@example.org" are the same signer. (The local
// part is case-sensitive in theory; in practice no provider treats it so, and
// folding it is what stops the same person signing twice.)
func NormalizeEmail(email string) string {
	return cases.Fold().String(norm.NFKC.String(strings.TrimSpace(email)))
}
