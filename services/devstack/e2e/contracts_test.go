package e2e

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// TestEveryContractMethodIsServed calls every method of every service's
// contract on the running platform, as a coordinator, with an empty
// request: whatever the answer (usually InvalidArgument), it must not be
// Unimplemented. The generated servers answer Unimplemented for methods a
// service forgot; this keeps the contract and the services in step.
func TestEveryContractMethodIsServed(t *testing.T) {
	a := shared.Addresses()
	addrs := map[string]string{
		"coalition.membership.v1.MembershipService":     a.Membership,
		"coalition.petition.v1.PetitionService":         a.Petition,
		"coalition.events.v1.EventsService":             a.Events,
		"coalition.notification.v1.NotificationService": a.Notification,
	}
	token, err := shared.Token("contract-check", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	methods := 0
	for name, addr := range addrs {
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		svc := d.(protoreflect.ServiceDescriptor)
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithPerRPCCredentials(auth.BearerToken(token)))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for i := range svc.Methods().Len() {
			m := svc.Methods().Get(i)
			in, err := protoregistry.GlobalTypes.FindMessageByName(m.Input().FullName())
			if err != nil {
				t.Fatalf("%s: %v", m.FullName(), err)
			}
			out, err := protoregistry.GlobalTypes.FindMessageByName(m.Output().FullName())
			if err != nil {
				t.Fatalf("%s: %v", m.FullName(), err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = conn.Invoke(ctx, "/"+name+"/"+string(m.Name()), in.New().Interface(), out.New().Interface())
			cancel()
			if status.Code(err) == codes.Unimplemented {
				t.Errorf("%s is in the contract but not served: %v", m.FullName(), err)
			}
			methods++
		}
	}
	if methods < 40 {
		t.Fatalf("checked only %d methods", methods)
	}
	t.Logf("%d contract methods served", methods)
}
