package inbox

import (
	"regexp"
	"slices"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
)

// emailPattern finds addresses inside any text (a bare address, "Name
// <a@b>", a list).
var emailPattern = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+`)

// Concerning returns the hashes (logging.EmailHash) of every email address
// in an event's payload, whatever field holds it: a dead letter keeps the
// whole event, so erasing a person must find every one that names them
// (PurgeConcerning). The payload is decoded by its type from the protobuf
// registry (the consuming service links the types it handles); a type it
// does not know is scanned as raw bytes, where proto strings appear as is.
func Concerning(ev broker.Event) []string {
	var found []string
	add := func(s string) {
		for _, addr := range emailPattern.FindAllString(s, -1) {
			if h := logging.EmailHash(addr); !slices.Contains(found, h) {
				found = append(found, h)
			}
		}
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(ev.Type))
	if err != nil {
		add(string(ev.Data))
		return found
	}
	msg := mt.New().Interface()
	if err := proto.Unmarshal(ev.Data, msg); err != nil {
		add(string(ev.Data))
		return found
	}
	walkStrings(msg.ProtoReflect(), add)
	return found
}

// walkStrings calls f with every string set in m, nested messages, lists
// and maps (keys and values) included.
func walkStrings(m protoreflect.Message, f func(string)) {
	value := func(fd protoreflect.FieldDescriptor, v protoreflect.Value) {
		switch fd.Kind() {
		case protoreflect.StringKind:
			f(v.String())
		case protoreflect.MessageKind, protoreflect.GroupKind:
			walkStrings(v.Message(), f)
		}
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				value(fd, l.Get(i))
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				if fd.MapKey().Kind() == protoreflect.StringKind {
					f(k.String())
				}
				value(fd.MapValue(), mv)
				return true
			})
		default:
			value(fd, v)
		}
		return true
	})
}
