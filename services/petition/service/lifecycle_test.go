package service_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/testkit"
	membershipsvc "github.com/cc4dr/coalition/services/membership/service"
	"github.com/cc4dr/coalition/services/petition/service"
)

// membership is the real membership service the package's petition
// services ask (LookupCity), started once for the package: one per test
// would double the load on the shared store. It trusts the package's
// signing key, which every harness uses too.
var membership struct {
	once sync.Once
	keys *testkit.Keys
	addr string
	err  error
}

func sharedMembership(t *testing.T, env *testkit.Env) (*testkit.Keys, string) {
	t.Helper()
	membership.once.Do(func() {
		membership.keys = testkit.NewKeys(t)
		svc, err := membershipsvc.New(context.Background(), membershipsvc.Config{
			Common: config.Common{
				MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
			},
			MongoDatabase: "petition_tests_membership", GRPCAddr: "127.0.0.1:0", AuthPublicKeys: membership.keys.PublicKeys(),
			StreamReplicas: 1, StreamMaxAge: time.Hour,
		}, zap.NewNop()) // outlives the test that starts it: it must not log through it
		if err != nil {
			membership.err = err
			return
		}
		membership.addr = svc.Addr()
		go func() { _ = svc.Run(context.Background()) }() // ends with the test binary
	})
	if membership.err != nil {
		t.Fatalf("start membership: %v", membership.err)
	}
	return membership.keys, membership.addr
}

// lifecycleConfig points the petition service at the membership service
// with a SERVICE token; each test's city-joined consumer is its own (the
// package's tests share NATS and the MEMBERSHIP stream).
func lifecycleConfig(t *testing.T, membershipAddr string, keys *testkit.Keys) service.LifecycleConfig {
	return service.LifecycleConfig{
		MembershipAddr: membershipAddr, ServiceToken: keys.Token(t, optionsv1.Role_ROLE_SERVICE),
		UnconfirmedTTL: 7 * 24 * time.Hour, SweepInterval: time.Hour,
		CityJoinedConsumer: testkit.UniqueName(t, "petition-city-joined"),
	}
}

// join records city as a member in the membership service (CityJoined).
func (h *harness) join(ctx context.Context, t *testing.T, city, country string) *membershipv1.Member {
	t.Helper()
	resp, err := h.membership.CreateMember(ctx, &membershipv1.CreateMemberRequest{
		Name: city, Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: country,
		Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: timestamppb.Now(),
	})
	if err != nil {
		t.Fatalf("create member %s: %v", city, err)
	}
	return resp.GetMember()
}

func ptReq(city string) *petitionv1.CreatePetitionRequest {
	r := petitionReq(city)
	r.Country = "PT"
	return r
}

func TestCreatePetitionAsksMembership(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	h.join(ctx, t, "Braga", "PT")
	for _, name := range []string{"Braga", "  BRAGA "} {
		_, err := h.coordinator.CreatePetition(ctx, ptReq(name))
		if st := testkit.WantCode(t, err, codes.FailedPrecondition); st.Message() == "" {
			t.Fatal("no message")
		}
	}
	// A member elsewhere does not count: Braga, ES is another city.
	r := ptReq("Braga")
	r.Country = "ES"
	h.createPetition(ctx, t, r)

	// One petition per city (normalised name and country).
	h.createPetition(ctx, t, ptReq("Évora"))
	for _, name := range []string{"Évora", " évora", "E\u0301VORA"} {
		_, err := h.coordinator.CreatePetition(ctx, ptReq(name))
		testkit.WantCode(t, err, codes.AlreadyExists)
		_, err = h.anonymous.ProposePetition(ctx, proposeReq(name))
		testkit.WantCode(t, err, codes.AlreadyExists)
	}
	if n, _ := h.db.Collection("petitions").CountDocuments(ctx, bson.D{}); n != 2 {
		t.Fatalf("%d petitions stored, want 2", n)
	}
}

func TestCreatePetitionWithoutMembershipIsUnavailable(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := lis.Addr().String()
	_ = lis.Close()
	h := start(t, func(c *service.Config) { c.MembershipAddr = dead })
	ctx := testkit.Context(t)
	_, err = h.coordinator.CreatePetition(ctx, ptReq("Faro"))
	testkit.WantCode(t, err, codes.Unavailable)
	_, err = h.anonymous.ProposePetition(ctx, proposeReq("Faro"))
	testkit.WantCode(t, err, codes.Unavailable)
	if n, _ := h.db.Collection("petitions").CountDocuments(ctx, bson.D{}); n != 0 {
		t.Fatalf("%d petitions stored without a membership answer", n)
	}
}

func proposeReq(city string) *petitionv1.ProposePetitionRequest {
	return &petitionv1.ProposePetitionRequest{
		City: city, Country: "PT", Title: city + " for digital rights", Text: "Please join.",
		ProposerName: "Rui", ProposerEmail: "rui@example.org", Language: "pt",
	}
}

func TestProposalsArePublishedEditedOrRejected(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	resp, err := h.anonymous.ProposePetition(ctx, proposeReq("Aveiro"))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetProposalId()
	// Not public.
	_, err = h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: id})
	testkit.WantCode(t, err, codes.NotFound)
	if l, err := h.anonymous.ListPetitions(ctx, &petitionv1.ListPetitionsRequest{}); err != nil || len(l.GetPetitions()) != 0 {
		t.Fatalf("public list shows %d (err %v)", len(l.GetPetitions()), err)
	}
	_, err = h.anonymous.ListProposals(ctx, &petitionv1.ListProposalsRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.anonymous.PublishProposal(ctx, &petitionv1.PublishProposalRequest{ProposalId: id, Goal: 10})
	testkit.WantCode(t, err, codes.Unauthenticated)
	// Bad input.
	bad := proposeReq("Aveiro")
	bad.ProposerEmail, bad.Language = "nope", "de"
	_, err = h.anonymous.ProposePetition(ctx, bad)
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "proposer_email") || !slices.Contains(f, "language") {
		t.Fatalf("violations %v", f)
	}

	list, err := h.coordinator.ListProposals(ctx, &petitionv1.ListProposalsRequest{})
	if err != nil || len(list.GetProposals()) != 1 {
		t.Fatalf("proposals %v (err %v)", list, err)
	}
	p := list.GetProposals()[0]
	if p.GetProposerEmail() != "rui@example.org" || p.GetPetition().GetStatus() != petitionv1.PetitionStatus_PETITION_STATUS_PROPOSED {
		t.Fatalf("proposal %v", p)
	}

	ed, err := h.coordinator.EditProposal(ctx, &petitionv1.EditProposalRequest{ProposalId: id, Texts: []*petitionv1.PetitionText{
		{Language: "pt", Title: "Aveiro, junta-te", Body: "Direitos digitais."}, {Language: "en", Title: "Aveiro, join", Body: "Digital rights."},
	}})
	if err != nil || len(ed.GetProposal().GetPetition().GetTexts()) != 2 {
		t.Fatalf("edit: %v %v", ed, err)
	}
	pub, err := h.coordinator.PublishProposal(ctx, &petitionv1.PublishProposalRequest{ProposalId: id, Goal: 500})
	if err != nil {
		t.Fatal(err)
	}
	if pub.GetPetition().GetStatus() != petitionv1.PetitionStatus_PETITION_STATUS_OPEN || pub.GetPetition().GetGoal() != 500 {
		t.Fatalf("published %v", pub.GetPetition())
	}
	if _, err := h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: id}); err != nil {
		t.Fatalf("published petition not public: %v", err)
	}
	_, err = h.coordinator.RejectProposal(ctx, &petitionv1.RejectProposalRequest{ProposalId: id, Reason: "late"})
	testkit.WantCode(t, err, codes.FailedPrecondition)

	// Rejected: the reason is kept, the city is free again.
	r2, err := h.anonymous.ProposePetition(ctx, proposeReq("Viseu"))
	if err != nil {
		t.Fatal(err)
	}
	rej, err := h.coordinator.RejectProposal(ctx, &petitionv1.RejectProposalRequest{ProposalId: r2.GetProposalId(), Reason: "Not a city of the region"})
	if err != nil || rej.GetProposal().GetPetition().GetRejectionReason() != "Not a city of the region" ||
		rej.GetProposal().GetPetition().GetStatus() != petitionv1.PetitionStatus_PETITION_STATUS_REJECTED {
		t.Fatalf("reject: %v %v", rej, err)
	}
	_, err = h.coordinator.PublishProposal(ctx, &petitionv1.PublishProposalRequest{ProposalId: r2.GetProposalId(), Goal: 5})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	if _, err := h.anonymous.ProposePetition(ctx, proposeReq("Viseu")); err != nil {
		t.Fatalf("propose again after rejection: %v", err)
	}

	// Events: proposed ×3, rejected ×1, opened for the published one.
	h.settle(ctx, t)
	count := func(subject string, match func(broker.Event) bool) int {
		evs, err := readEvents(ctx, h.js, subject, func(ev broker.Event) (bool, error) { return match(ev), nil })
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	type withPetition interface {
		proto.Message
		GetPetition() *petitionv1.Petition
	}
	about := func(m withPetition, ids ...string) func(broker.Event) bool {
		return func(ev broker.Event) bool {
			if err := ev.Decode(m); err != nil {
				t.Errorf("decode %s: %v", ev.Type, err)
				return false
			}
			return slices.Contains(ids, m.GetPetition().GetId())
		}
	}
	if n := count("petition.petition.proposed", about(&petitionv1.PetitionProposed{}, id, r2.GetProposalId())); n != 2 {
		t.Errorf("%d proposed events, want 2", n)
	}
	if n := count("petition.petition.rejected", about(&petitionv1.PetitionRejected{}, r2.GetProposalId())); n != 1 {
		t.Errorf("%d rejected events, want 1", n)
	}
	if n := count("petition.petition.opened", about(&petitionv1.PetitionOpened{}, id)); n != 1 {
		t.Errorf("%d opened events, want 1", n)
	}
}

func TestCityJoinedSucceedsAndAnnouncesOutcomeOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	p := h.createPetition(ctx, t, ptReq("Coimbra"))
	other := h.createPetition(ctx, t, ptReq("Leiria"))

	optIn := signReq(p.GetId(), "ana@example.org")
	optIn.NotifyOutcome = true
	pendingOptIn := signReq(p.GetId(), "bea@example.org")
	pendingOptIn.NotifyOutcome = true
	noOptIn := signReq(p.GetId(), "carla@example.org")
	for _, r := range []*petitionv1.SignPetitionRequest{optIn, pendingOptIn, noOptIn} {
		h.sign(ctx, t, r)
	}
	reqs := h.waitRequested(ctx, t, p.GetId(), 3)
	for _, r := range reqs {
		if r.GetEmail() == "bea@example.org" {
			continue
		}
		if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: r.GetConfirmationToken()}); err != nil {
			t.Fatal(err)
		}
	}

	member := h.join(ctx, t, " coimbra ", "PT")
	testkit.Eventually(t, 20*time.Second, func() (bool, error) {
		got, err := h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: p.GetId()})
		return err == nil && got.GetPetition().GetStatus() == petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED, err
	})
	if got, _ := h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: other.GetId()}); got.GetPetition().GetStatus() != petitionv1.PetitionStatus_PETITION_STATUS_OPEN {
		t.Fatalf("another city's petition changed: %v", got.GetPetition().GetStatus())
	}
	// Signing a succeeded petition is refused.
	_, err := h.anonymous.SignPetition(ctx, signReq(p.GetId(), "late@example.org"))
	testkit.WantCode(t, err, codes.FailedPrecondition)

	// The same CityJoined again (a redelivery reaching the handler, as a new
	// event id so the inbox lets it through): nobody is told twice.
	ev, err := broker.NewEvent("/coalition/membership", &membershipv1.CityJoined{Member: member})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.js.PublishMsg(ctx, ev.Msg()); err != nil {
		t.Fatal(err)
	}

	var announced []*petitionv1.SignatureOutcomeAnnounced
	read := func() int {
		announced = nil
		_, err := readEvents(ctx, h.js, "petition.signature.outcome_announced", func(ev broker.Event) (bool, error) {
			var m petitionv1.SignatureOutcomeAnnounced
			if err := ev.Decode(&m); err != nil || m.GetPetitionId() != p.GetId() {
				return false, err
			}
			announced = append(announced, &m)
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return len(announced)
	}
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return read() >= 1, nil })
	time.Sleep(1500 * time.Millisecond) // let the second CityJoined be handled
	h.settle(ctx, t)
	if n := read(); n != 1 {
		t.Fatalf("%d outcome announcements, want 1 (only the confirmed signer who opted in)", n)
	}
	a := announced[0]
	if a.GetEmail() != "ana@example.org" || a.GetOutcome() != petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED ||
		a.GetLanguage() != "es" || a.GetPetitionTitle() != "Coimbra, únete a la coalición" || a.GetCity() != "Coimbra" {
		t.Fatalf("announcement %v", a)
	}
	var succeeded int
	_, err = readEvents(ctx, h.js, "petition.petition.succeeded", func(ev broker.Event) (bool, error) {
		var m petitionv1.PetitionSucceeded
		if err := ev.Decode(&m); err != nil {
			return false, err
		}
		if m.GetPetition().GetId() == p.GetId() {
			succeeded++
			if m.GetMemberId() != member.GetId() {
				t.Errorf("member id %q", m.GetMemberId())
			}
		}
		return false, nil
	})
	if err != nil || succeeded != 1 {
		t.Fatalf("%d PetitionSucceeded events (err %v), want 1", succeeded, err)
	}
	// Once published, the notice keeps no personal data.
	n, err := h.db.Collection("outcome_notices").CountDocuments(ctx, bson.D{{Key: "outbox", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil || n != 0 {
		t.Fatalf("%d notices still carry their event (err %v)", n, err)
	}
}

func TestWithdrawSignature(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	p := h.createPetition(ctx, t, ptReq("Setúbal"))
	h.sign(ctx, t, signReq(p.GetId(), "ana@example.org"))
	h.sign(ctx, t, signReq(p.GetId(), "bo@example.org"))
	reqs := h.waitRequested(ctx, t, p.GetId(), 2)
	tokens := map[string]string{}
	for _, r := range reqs {
		tokens[r.GetEmail()] = r.GetConfirmationToken()
	}
	if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: tokens["ana@example.org"]}); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() (bool, error) { return h.count(ctx, t, p.GetId()) == 1, nil })

	// The confirmed one withdraws: it stops counting, once.
	for range 2 {
		if _, err := h.anonymous.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: tokens["ana@example.org"]}); err != nil {
			t.Fatal(err)
		}
	}
	testkit.Eventually(t, 10*time.Second, func() (bool, error) { return h.count(ctx, t, p.GetId()) == 0, nil })
	// The pending one withdraws too: nothing to uncount.
	if _, err := h.anonymous.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: tokens["bo@example.org"]}); err != nil {
		t.Fatal(err)
	}
	// A used link no longer confirms; an unknown one is refused.
	_, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: tokens["bo@example.org"]})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.anonymous.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: "x" + tokens["bo@example.org"][1:]})
	testkit.WantCode(t, err, codes.NotFound)

	for _, s := range h.signatures(ctx, t, p.GetId()) {
		if s.Status != "withdrawn" || s.Email != "" || s.EmailKey == "ana@example.org" {
			t.Fatalf("withdrawn signature keeps data: %+v", s)
		}
	}
	h.settle(ctx, t)
	var withdrawn []*petitionv1.SignatureWithdrawn
	_, err = readEvents(ctx, h.js, "petition.signature.withdrawn", func(ev broker.Event) (bool, error) {
		var m petitionv1.SignatureWithdrawn
		if err := ev.Decode(&m); err != nil || m.GetPetitionId() != p.GetId() {
			return false, err
		}
		withdrawn = append(withdrawn, &m)
		return true, nil
	})
	if err != nil || len(withdrawn) != 2 {
		t.Fatalf("%d SignatureWithdrawn events (err %v), want 2", len(withdrawn), err)
	}
	// Each carries what a confirmation of the withdrawal needs.
	for _, w := range withdrawn {
		wantConfirmed := w.GetEmail() == "ana@example.org"
		if (w.GetEmail() != "ana@example.org" && w.GetEmail() != "bo@example.org") || w.GetWasConfirmed() != wantConfirmed ||
			w.GetName() == "" || w.GetLanguage() == "" || w.GetCity() != "Setúbal" || w.GetPetitionTitle() == "" {
			t.Errorf("SignatureWithdrawn = %v", w)
		}
	}
	// Signing again after withdrawing starts afresh.
	h.sign(ctx, t, signReq(p.GetId(), "ana@example.org"))
	h.waitRequested(ctx, t, p.GetId(), 3)
	time.Sleep(700 * time.Millisecond)
	if n := h.count(ctx, t, p.GetId()); n != 0 {
		t.Fatalf("count %d after withdrawals, want 0", n)
	}
}

func TestUnconfirmedSignaturesExpire(t *testing.T) {
	t.Parallel()
	h := start(t, func(c *service.Config) {
		c.ConfirmationTTL, c.UnconfirmedTTL, c.SweepInterval = 2*time.Second, time.Second, 200*time.Millisecond
	})
	ctx := testkit.Context(t)
	p := h.createPetition(ctx, t, ptReq("Tomar"))
	h.sign(ctx, t, signReq(p.GetId(), "ana@example.org"))
	h.sign(ctx, t, signReq(p.GetId(), "bo@example.org"))
	for _, r := range h.waitRequested(ctx, t, p.GetId(), 2) {
		if r.GetEmail() == "ana@example.org" {
			if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: r.GetConfirmationToken()}); err != nil {
				t.Fatal(err)
			}
		}
	}
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		sigs := h.signatures(ctx, t, p.GetId())
		return len(sigs) == 1 && sigs[0].EmailKey == "ana@example.org" && sigs[0].Status == "confirmed", nil
	})
}
