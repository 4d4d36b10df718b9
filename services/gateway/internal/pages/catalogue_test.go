package pages

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// quoted finds the double-quoted string literals of Go code and templates.
var quoted = regexp.MustCompile(`"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+"`)

// TestCatalogueKeysUsed: every key of the catalogue is used by some page
// (a template or the Go code that fills it), and every key a page names is
// in the catalogue. Keys are always written out whole, never assembled, so
// that this scan sees them; a plural key "x" covers "x.one" and "x.other".
func TestCatalogueKeysUsed(t *testing.T) {
	// The gateway's internal packages, this one's templates included.
	var sources []string
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "messages_") {
			return nil
		}
		if strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".html") {
			sources = append(sources, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, k := range i18n.Keys() {
		keys[k] = true
	}
	used := map[string]bool{}
	for _, path := range sources {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range quoted.FindAllString(string(b), -1) {
			key := strings.Trim(lit, `"`)
			switch {
			case keys[key]:
				used[key] = true
			case keys[key+".one"] && keys[key+".other"]:
				used[key+".one"], used[key+".other"] = true, true
			case looksLikeKey(key) && isPageSource(path):
				t.Errorf("%s names %q, which is not in the catalogue", path, key)
			}
		}
	}
	for k := range keys {
		if !used[k] {
			t.Errorf("catalogue key %q is used nowhere", k)
		}
	}
}

// keyAreas are the first parts of the catalogue's keys: a literal in a page
// that starts like this is meant as a key.
var keyAreas = []string{"site.", "nav.", "footer.", "filter.", "form.", "principle.", "home.", "petitions.", "progress.", "petition.",
	"sign.", "chart.", "signed.", "confirmed.", "propose.", "proposed.", "erasure.", "withdraw.", "erase.", "rsvp.", "assemblies.",
	"assembly.", "members.", "opendata.", "error.", "format."}

func looksLikeKey(s string) bool {
	for _, a := range keyAreas {
		if strings.HasPrefix(s, a) {
			return s != "members.csv" && s != "petitions.csv" && s != "assemblies.ics"
		}
	}
	return false
}

func isPageSource(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "/pages/") || strings.Contains(filepath.ToSlash(path), "pages/")
}
