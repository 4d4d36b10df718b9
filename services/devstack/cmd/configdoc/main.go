// Command configdoc rewrites the configuration reference in README.md from
// the services' Config structs (or, with -print, prints it).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/cc4dr/coalition/services/devstack/configdoc"
)

func main() {
	print := flag.Bool("print", false, "print the reference instead of updating README.md")
	readme := flag.String("readme", "README.md", "README to update")
	flag.Parse()
	if *print {
		fmt.Print(configdoc.Markdown())
		return
	}
	if err := update(*readme); err != nil {
		fmt.Fprintln(os.Stderr, "configdoc:", err)
		os.Exit(1)
	}
}

func update(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, configdoc.Begin), strings.Index(s, configdoc.End)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no configuration markers", path)
	}
	s = s[:i] + configdoc.Block() + s[j+len(configdoc.End):]
	return os.WriteFile(path, []byte(s), 0o644)
}
