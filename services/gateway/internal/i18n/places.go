package i18n

import (
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Country names and world regions come from CLDR through golang.org/x/text.

// Country is the name of an ISO 3166-1 alpha-2 country in this language
// ("ES" is "Spain", "España", "Espagne"...), or the code itself when CLDR
// has no name for it.
func (l *Locale) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return code
	}
	if name := l.regions.Name(r); name != "" {
		return name
	}
	return code
}

// Place is a code with its name in one language.
type Place struct{ Code, Name string }

// notCountries are codes CLDR knows as countries that ISO 3166-1 lists only
// as reservations (islands with their own telephone codes, the UN, the euro
// area): not what a resident means by their country.
var notCountries = map[string]bool{"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "EZ": true, "IC": true, "TA": true, "UN": true}

var countryCodes = sync.OnceValue(func() []string {
	var out []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			// Canonical codes only: DD, BU and other retired ones map elsewhere.
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize() != r || notCountries[code] {
				continue
			}
			out = append(out, code)
		}
	}
	return out
})

// Countries lists the countries of the world, sorted by their names in this
// language (with the language's collation: "Österreich" sorts as an O).
// The list is shared: callers must not change it.
func (l *Locale) Countries() []Place { return l.countries() }

func (l *Locale) sortedCountries() []Place {
	var out []Place
	for _, code := range countryCodes() {
		if name := l.Country(code); name != code {
			out = append(out, Place{code, name})
		}
	}
	l.SortPlaces(out)
	return out
}

// IsCountry reports whether code is one of [Locale.Countries]' codes.
func IsCountry(code string) bool {
	i := sort.SearchStrings(countryCodes(), code)
	return i < len(countryCodes()) && countryCodes()[i] == code
}

// SortPlaces sorts places by name with this language's collation.
func (l *Locale) SortPlaces(places []Place) {
	c := collate.New(l.tag, collate.Loose)
	sort.SliceStable(places, func(i, j int) bool { return c.CompareString(places[i].Name, places[j].Name) < 0 })
}

// worldRegions are the UN M.49 continental regions, in a fixed order.
var worldRegions = []string{"002", "019", "142", "150", "009"} // Africa, Americas, Asia, Europe, Oceania

// WorldRegion is the UN M.49 continental region ("150", Europe) that holds
// a country, or "" when none does.
func WorldRegion(country string) string {
	r, err := language.ParseRegion(country)
	if err != nil {
		return ""
	}
	for _, code := range worldRegions {
		if language.MustParseRegion(code).Contains(r) {
			return code
		}
	}
	return ""
}

// IsWorldRegion reports whether code is one of the continental regions.
func IsWorldRegion(code string) bool {
	for _, c := range worldRegions {
		if c == code {
			return true
		}
	}
	return false
}

// WorldRegions lists the continental regions with their names in this
// language, in a fixed order (Africa, Americas, Asia, Europe, Oceania).
func (l *Locale) WorldRegions() []Place {
	out := make([]Place, 0, len(worldRegions))
	for _, code := range worldRegions {
		out = append(out, Place{code, l.regions.Name(language.MustParseRegion(code))})
	}
	return out
}

// RegionName is the name of a continental region in this language.
func (l *Locale) RegionName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return l.regions.Name(r)
}
