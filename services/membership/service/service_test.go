package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/membership/service"
)

var joined = timestamppb.New(time.Date(2019, 3, 1, 12, 0, 0, 0, time.UTC))

func cityReq(name, country string) *membershipv1.CreateMemberRequest {
	return &membershipv1.CreateMemberRequest{
		Name: name, Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: country,
		Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: joined,
		Commitment: "Protects residents' digital rights.",
	}
}

func TestCreateGetListMembers(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	reqs := []*membershipv1.CreateMemberRequest{
		cityReq("  Zaragoza ", "ES"),
		{Name: "Eurocities", Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER,
			Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: joined},
		{Name: "athens", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "GR",
			Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT, Population: 640000},
		cityReq("Bratislava", "SK"),
		cityReq("Cary", "US"),
	}
	ids := map[string]*membershipv1.Member{}
	for _, r := range reqs {
		resp, err := h.coordinator.CreateMember(ctx, r)
		if err != nil {
			t.Fatalf("create %q: %v", r.GetName(), err)
		}
		m := resp.GetMember()
		if _, err := uuid.Parse(m.GetId()); err != nil {
			t.Fatalf("id %q: %v", m.GetId(), err)
		}
		ids[m.GetId()] = m
	}
	zaragoza := findByName(t, ids, "Zaragoza") // name trimmed
	if !zaragoza.GetJoinedAt().AsTime().Equal(joined.AsTime()) || zaragoza.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER {
		t.Fatalf("zaragoza = %v", zaragoza)
	}

	// Get is public.
	got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: zaragoza.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.GetMember(), zaragoza) {
		t.Fatalf("get = %v, want %v", got.GetMember(), zaragoza)
	}
	_, err = h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: uuid.NewString()})
	testkit.WantCode(t, err, codes.NotFound)

	// List is public, by name (case-insensitive), two at a time.
	var names []string
	token := ""
	pages := 0
	for {
		resp, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 2, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, m := range resp.GetMembers() {
			names = append(names, m.GetName())
			if !proto.Equal(m, ids[m.GetId()]) {
				t.Errorf("listed %v, created %v", m, ids[m.GetId()])
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	want := []string{"athens", "Bratislava", "Cary", "Eurocities", "Zaragoza"}
	if !slices.Equal(names, want) || pages != 3 {
		t.Fatalf("listed %v in %d pages, want %v in 3", names, pages, want)
	}

	// Default page size takes everything here.
	all, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.GetMembers()) != 5 || all.GetNextPageToken() != "" {
		t.Fatalf("default page: %d members, next %q", len(all.GetMembers()), all.GetNextPageToken())
	}

	_, err = h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{PageToken: "not-a-token!"})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "page_token") {
		t.Fatalf("violations %v", f)
	}
}

func findByName(t *testing.T, ms map[string]*membershipv1.Member, name string) *membershipv1.Member {
	t.Helper()
	for _, m := range ms {
		if m.GetName() == name {
			return m
		}
	}
	t.Fatalf("no member %q", name)
	return nil
}

func TestDuplicateMemberIsAlreadyExists(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	if _, err := h.coordinator.CreateMember(ctx, cityReq("Maceió", "BR")); err != nil {
		t.Fatal(err)
	}
	// Same name however typed (case, space, decomposed accent), same country.
	for _, name := range []string{"Maceió", "  MACEIÓ ", "Maceio\u0301"} {
		_, err := h.coordinator.CreateMember(ctx, cityReq(name, "BR"))
		testkit.WantCode(t, err, codes.AlreadyExists)
	}
	// The same name in another country is another city.
	if _, err := h.coordinator.CreateMember(ctx, cityReq("Maceió", "PT")); err != nil {
		t.Fatalf("other country: %v", err)
	}
	n, err := h.db.Collection("members").CountDocuments(ctx, bson.D{})
	if err != nil || n != 2 {
		t.Fatalf("stored %d members (err %v), want 2", n, err)
	}
}

func TestValidationErrorsCarryFieldViolations(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	cases := []struct {
		name  string
		req   *membershipv1.CreateMemberRequest
		field string
	}{
		{"member without joined_at", &membershipv1.CreateMemberRequest{Name: "Porto", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
			Country: "PT", Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER}, "joined_at"},
		{"lower-case country", cityReq("Porto", "pt"), "country"},
		{"no name", cityReq("", "PT"), "name"},
		{"no kind", &membershipv1.CreateMemberRequest{Name: "Porto", Country: "PT",
			Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT}, "kind"},
		{"negative population", &membershipv1.CreateMemberRequest{Name: "Porto", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
			Country: "PT", Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT, Population: -1}, "population"},
	}
	for _, c := range cases {
		_, err := h.coordinator.CreateMember(ctx, c.req)
		if f := testkit.FieldViolations(t, err); !slices.Contains(f, c.field) {
			t.Errorf("%s: violations %v, want %s", c.name, f, c.field)
		}
	}
	// Nothing was stored.
	if n, err := h.db.Collection("members").CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Fatalf("stored %d members (err %v), want 0", n, err)
	}

	_, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: "not-a-uuid"})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "member_id") {
		t.Fatalf("violations %v", f)
	}
	// Recording members is for coordinators.
	_, err = h.anonymous.CreateMember(ctx, cityReq("Porto", "PT"))
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.anonymous.LookupCity(ctx, &membershipv1.LookupCityRequest{City: "Porto", Country: "PT"})
	testkit.WantCode(t, err, codes.Unauthenticated)
}

func TestLookupCity(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.coordinator.CreateMember(ctx, cityReq("Maceió", "BR"))
	if err != nil {
		t.Fatal(err)
	}
	network := cityReq("Bordeaux Métropole", "FR")
	network.Kind = membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK
	createdNetwork, err := h.coordinator.CreateMember(ctx, network)
	if err != nil {
		t.Fatal(err)
	}
	partner := &membershipv1.CreateMemberRequest{Name: "Porto", Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER, Country: "PT",
		Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT}
	if _, err := h.coordinator.CreateMember(ctx, partner); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		city, country string
		want          *membershipv1.Member
	}{
		{"Maceió", "BR", created.GetMember()},
		{" maceió  ", "BR", created.GetMember()},
		{"MACEIO\u0301", "BR", created.GetMember()},
		{"bordeaux  MÉTROPOLE", "FR", createdNetwork.GetMember()},
		{"Maceió", "PT", nil},   // another country
		{"Maceio", "BR", nil},   // another name
		{"Porto", "PT", nil},    // a partner is not a city
		{"Zaragoza", "ES", nil}, // not on the register
	} {
		resp, err := h.coordinator.LookupCity(ctx, &membershipv1.LookupCityRequest{City: c.city, Country: c.country})
		if err != nil {
			t.Fatalf("lookup %q %s: %v", c.city, c.country, err)
		}
		if !proto.Equal(resp.GetMember(), c.want) {
			t.Errorf("lookup %q %s = %v, want %v", c.city, c.country, resp.GetMember(), c.want)
		}
	}
}

// publishedEvent is an event read back from the MEMBERSHIP stream.
type publishedEvent struct {
	typ, id, msgID, source, memberID string
}

// readEvents reads the whole MEMBERSHIP stream with an ordered consumer and
// returns the events about the given members (other tests share the stream).
func readEvents(ctx context.Context, js jetstream.JetStream, memberIDs ...string) ([]publishedEvent, error) {
	cons, err := js.OrderedConsumer(ctx, broker.StreamName(service.Name), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{service.Name + ".>"},
	})
	if err != nil {
		return nil, err
	}
	var out []publishedEvent
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			return nil, err
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				return nil, err
			}
			var m *membershipv1.Member
			switch ev.Type {
			case "coalition.membership.v1.CityJoined":
				var e membershipv1.CityJoined
				if err := ev.Decode(&e); err != nil {
					return nil, err
				}
				m = e.GetMember()
			case "coalition.membership.v1.PartnerAdded":
				var e membershipv1.PartnerAdded
				if err := ev.Decode(&e); err != nil {
					return nil, err
				}
				m = e.GetMember()
			default:
				continue
			}
			if slices.Contains(memberIDs, m.GetId()) {
				out = append(out, publishedEvent{
					typ: msg.Headers().Get(broker.HeaderType), id: ev.ID, msgID: msg.Headers().Get(nats.MsgIdHdr),
					source: ev.Source, memberID: m.GetId(),
				})
			}
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
		if n == 0 {
			return out, nil
		}
	}
}

func TestCityJoinedPublishedExactlyOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	_, js := h.env.JetStream(t)

	city, err := h.coordinator.CreateMember(ctx, cityReq("Tirana", "AL"))
	if err != nil {
		t.Fatal(err)
	}
	partner, err := h.coordinator.CreateMember(ctx, &membershipv1.CreateMemberRequest{
		Name: "UN-Habitat", Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER,
		Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: joined,
	})
	if err != nil {
		t.Fatal(err)
	}
	applicant, err := h.coordinator.CreateMember(ctx, &membershipv1.CreateMemberRequest{
		Name: "Torino", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "IT",
		Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT,
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{city.GetMember().GetId(), partner.GetMember().GetId(), applicant.GetMember().GetId()}

	// The relay publishes, then clears the outboxes.
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		n, err := h.db.Collection("members").CountDocuments(ctx, bson.D{{Key: "outbox_pending", Value: true}})
		return err == nil && n == 0, err
	})
	// Let a few more relay rounds pass: nothing may be published again.
	time.Sleep(1500 * time.Millisecond)

	events, err := readEvents(ctx, js, ids...)
	if err != nil {
		t.Fatal(err)
	}
	byMember := map[string][]publishedEvent{}
	for _, e := range events {
		byMember[e.memberID] = append(byMember[e.memberID], e)
		if e.msgID != e.id || e.source != "/coalition/membership" {
			t.Errorf("event %+v: Nats-Msg-Id must be the event id, source /coalition/membership", e)
		}
	}
	if got := byMember[ids[0]]; len(got) != 1 || got[0].typ != "coalition.membership.v1.CityJoined" {
		t.Errorf("city events = %+v, want one CityJoined", got)
	}
	if got := byMember[ids[1]]; len(got) != 1 || got[0].typ != "coalition.membership.v1.PartnerAdded" {
		t.Errorf("partner events = %+v, want one PartnerAdded", got)
	}
	if got := byMember[ids[2]]; len(got) != 0 {
		t.Errorf("applicant events = %+v, want none", got)
	}
}

func TestDemoDataLoads(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	demo := service.DemoData()
	for _, r := range demo {
		if _, err := h.coordinator.CreateMember(ctx, r); err != nil {
			t.Fatalf("demo %q: %v", r.GetName(), err)
		}
	}
	all, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.GetMembers()) != len(demo) {
		t.Fatalf("listed %d, loaded %d", len(all.GetMembers()), len(demo))
	}
	launch := time.Date(2018, 11, 14, 0, 0, 0, 0, time.UTC)
	for _, f := range []struct{ city, country string }{{"Amsterdam", "NL"}, {"barcelona", "ES"}, {"New York", "US"}} {
		resp, err := h.coordinator.LookupCity(ctx, &membershipv1.LookupCityRequest{City: f.city, Country: f.country})
		if err != nil {
			t.Fatal(err)
		}
		m := resp.GetMember()
		if m == nil || m.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER ||
			m.GetJoinedAt().AsTime().Truncate(24*time.Hour) != launch {
			t.Errorf("founder %s: %v", f.city, m)
		}
	}
	partners := 0
	for _, m := range all.GetMembers() {
		if m.GetKind() == membershipv1.MemberKind_MEMBER_KIND_PARTNER {
			partners++
			if m.GetCountry() != "" {
				t.Errorf("partner %s has country %q", m.GetName(), m.GetCountry())
			}
		}
	}
	if partners != 3 {
		t.Errorf("%d partners, want 3 (UN-Habitat, UCLG, Eurocities)", partners)
	}
	// The directory's principle filter has something to show.
	tr, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Principle: membershipv1.Principle_PRINCIPLE_TRANSPARENCY})
	if err != nil || len(tr.GetMembers()) != 2 || tr.GetMembers()[0].GetName() != "Amsterdam" || tr.GetMembers()[1].GetName() != "Barcelona" {
		t.Errorf("demo members serving transparency: %v (err %v)", tr.GetMembers(), err)
	}
}

func TestLoadDemoData(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	// Twice: the second run adds nothing.
	for range 2 {
		if err := service.LoadDemoData(ctx, h.coordinator); err != nil {
			t.Fatal(err)
		}
	}
	all, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 500})
	if err != nil || len(all.GetMembers()) != len(service.DemoData()) {
		t.Fatalf("members: %d (err %v)", len(all.GetMembers()), err)
	}
	bodies, err := h.anonymous.ListBodies(ctx, &membershipv1.ListBodiesRequest{})
	if err != nil || len(bodies.GetBodies()) != len(service.DemoBodies()) {
		t.Fatalf("bodies: %v (err %v)", bodies, err)
	}
	for _, r := range service.DemoRepresentatives() {
		if !strings.HasSuffix(r.Representative.GetEmail(), "@example.org") || !strings.Contains(r.Representative.GetName(), "fictional") {
			t.Errorf("demo person %v is not clearly fictional", r.Representative)
		}
	}
	for _, b := range bodies.GetBodies() {
		resp, err := h.service.ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: b.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		switch b.GetSlug() {
		case "executive-coordination-team":
			if len(resp.GetPeople()) != 6 {
				t.Errorf("coordination team: %d people, want 6", len(resp.GetPeople()))
			}
		case "annual-conference":
			if len(resp.GetPeople()) != 6 { // the cities' political representatives, not the partners'
				t.Errorf("annual conference: %d people, want 6", len(resp.GetPeople()))
			}
		}
	}
	pending, err := h.coordinator.ListApplications(ctx, &membershipv1.ListApplicationsRequest{})
	if err != nil || len(pending.GetApplications()) != 2 {
		t.Fatalf("applications %v (err %v)", pending, err)
	}
}
