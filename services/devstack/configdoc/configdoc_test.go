package configdoc

import (
	"os"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
)

// TestREADMEIsCurrent fails when a Config struct changed and the README's
// configuration reference was not regenerated.
func TestREADMEIsCurrent(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), Block()) {
		t.Fatal("README.md's configuration reference is out of date: run `go run ./services/devstack/cmd/configdoc` from the repository root")
	}
}

// TestEventCatalogueListsEverySubject fails when a domain event declared in
// the proto is missing from the README's event catalogue.
func TestEventCatalogueListsEverySubject(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, "<!-- events:begin -->"), strings.Index(readme, "<!-- events:end -->")
	if i < 0 || j < i {
		t.Fatal("README.md has no event catalogue markers")
	}
	catalogue := readme[i:j]
	subjects := 0
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(fd.Package()), "coalition.") {
			return true
		}
		msgs := fd.Messages()
		for k := range msgs.Len() {
			subject, _ := proto.GetExtension(msgs.Get(k).Options(), optionsv1.E_Subject).(string)
			if subject == "" {
				continue
			}
			subjects++
			if !strings.Contains(catalogue, "`"+subject+"`") {
				t.Errorf("README event catalogue lacks %s (%s)", subject, msgs.Get(k).FullName())
			}
		}
		return true
	})
	if subjects < 8 {
		t.Fatalf("found only %d event subjects in the linked protos", subjects)
	}
}
