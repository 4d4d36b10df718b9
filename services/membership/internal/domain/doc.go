// Package domain holds the membership service's rules — what a member is,
// how names are matched, when a city counts as joined — with no storage or
// transport in sight.
package domain
