package grpcapi_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/grpcapi"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

type nopKicker struct{}

func (nopKicker) Kick()                    {}
func (nopKicker) Notify(string, ...string) {}

// FuzzSignRequest sends arbitrary names, emails and languages through what
// a SignPetition call meets — the protovalidate rules, then the transport,
// the use case and the real store — and checks that nothing panics and that
// every input is either refused with InvalidArgument (storing nothing) or
// stored normalised (trimmed, inner space collapsed, email key NFKC and
// case-folded) under the same empty answer. The seed corpus runs in every
// `go test`; `go test -fuzz FuzzSignRequest ./internal/grpcapi/` explores.
func FuzzSignRequest(f *testing.F) {
	env := testkit.Get(f)
	db := env.Database(f)
	ctx := context.Background()
	if err := mongodb.EnsureIndexes(ctx, db, store.Indexes()...); err != nil {
		f.Fatal(err)
	}
	st := store.New(db, mongodb.NewUpdater(mongodb.NewDocLocks(), true))
	srv := grpcapi.New(app.New(st, nopKicker{}, app.Options{ConfirmationTTL: time.Hour}, zap.NewNop()))
	validator, err := protovalidate.New()
	if err != nil {
		f.Fatal(err)
	}
	p := domain.Petition{ID: uuid.Must(uuid.NewV7()).String(), City: "Lisboa", Country: "PT", Goal: 100,
		Status: domain.PetitionOpen, CreatedAt: time.Now().UTC(), Texts: []domain.Text{{Language: "en", Title: "Join"}}}
	if err := st.InsertPetition(ctx, p); err != nil {
		f.Fatal(err)
	}
	sigs := db.Collection(store.CollectionSignatures)

	for _, s := range [][3]string{
		{"Ana Pérez", "ana@example.org", "es"},
		{"  Ana   Pérez  ", "  ANA@Example.ORG ", ""},
		{"", "ana@example.org", "en"},
		{"Élodie", "E\u0301lodie@exemple.fr", "fr"},
		{"ＡＢＣ", "ＡＢＣ@example.com", "pt"},
		{"x", "not an email", "en"},
		{"x", "a@b", "xx"},
		{strings.Repeat("n", 101), "long@example.org", "ca"},
		{"tab\tname", "\tMAX@EXAMPLE.DE\n", "en"},
		{"\x00", "nul\x00@example.org", "en"},
		{"ok", strings.Repeat("a", 250) + "@e.org", "en"},
		{"\u200b", "zero\u200bwidth@example.org", "en"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, name, email, language string) {
		req := &petitionv1.SignPetitionRequest{
			PetitionId: p.ID, Name: name, Email: email, LivesOrWorksInCity: true, Language: language,
		}
		// What arrives is what survives the wire: proto3 strings must be
		// valid UTF-8, so such input never reaches the server (gRPC refuses
		// to encode it; the gateway's JSON decoding replaces bad bytes).
		wire, err := proto.Marshal(req)
		if err != nil {
			return
		}
		req = &petitionv1.SignPetitionRequest{}
		if err := proto.Unmarshal(wire, req); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		key := domain.NormalizeEmail(email)
		if err := validator.Validate(req); err != nil {
			if st := grpcserver.ValidationStatus(err); st.Code() != codes.InvalidArgument {
				t.Fatalf("validation answered %v", st)
			}
			return // refused before anything runs
		}
		resp, err := srv.SignPetition(ctx, req)
		if err != nil {
			// The only refusal past validation is a normalised email the
			// store cannot key on (e.g. all space): never a crash.
			if c := status.Code(err); c != codes.InvalidArgument {
				t.Fatalf("sign(%q, %q, %q): %v", name, email, language, err)
			}
			return
		}
		if resp == nil {
			t.Fatal("nil answer")
		}
		var doc struct {
			EmailKey string `bson:"email_key"`
			Email    string `bson:"email"`
			Name     string `bson:"name"`
			Language string `bson:"language"`
		}
		if err := sigs.FindOne(ctx, bson.D{{Key: "petition_id", Value: p.ID}, {Key: "email_key", Value: key}}).Decode(&doc); err != nil {
			t.Fatalf("signature of %q not stored under key %q: %v", email, key, err)
		}
		if doc.EmailKey != key || doc.Email != strings.Join(strings.Fields(email), " ") || doc.Language == "" {
			t.Fatalf("stored %+v for email %q", doc, email)
		}
		// A first signature stores the name normalised; a repeat keeps the
		// first one's fields unless it was pending (renewed): either way
		// normalised.
		if doc.Name != strings.Join(strings.Fields(doc.Name), " ") {
			t.Fatalf("stored name %q is not normalised", doc.Name)
		}
	})
}
