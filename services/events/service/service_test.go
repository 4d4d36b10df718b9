package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// meeting is a request for a one-hour meeting starting at start.
func meeting(title string, start time.Time, tz string, public bool) *eventsv1.ScheduleAssemblyRequest {
	return &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: title,
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)),
		TimeZone: tz, Public: public,
	}
}

func TestScheduleGetList(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	now := time.Now().UTC().Truncate(time.Second)

	schedule := func(r *eventsv1.ScheduleAssemblyRequest) *eventsv1.Assembly {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, r)
		if err != nil {
			t.Fatalf("schedule %q: %v", r.GetTitle(), err)
		}
		return resp.GetAssembly()
	}
	later := schedule(meeting("Later", now.Add(72*time.Hour), "America/New_York", true))
	soon := schedule(meeting("Soon", now.Add(24*time.Hour), "Europe/Madrid", true))
	ongoing := schedule(meeting("Ongoing", now.Add(-30*time.Minute), "Asia/Kolkata", true)) // started, not ended
	schedule(meeting("Over", now.Add(-48*time.Hour), "Europe/Madrid", true))                // ended: not listed
	schedule(meeting("Board", now.Add(48*time.Hour), "Europe/Amsterdam", false))            // not public: not listed
	sameStart := schedule(meeting("Also later", now.Add(72*time.Hour), "Europe/Lisbon", true))

	if soon.GetStatus() != eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED || soon.GetTimeZone() != "Europe/Madrid" ||
		!soon.GetStartsAt().AsTime().Equal(now.Add(24*time.Hour)) {
		t.Fatalf("scheduled = %v", soon)
	}
	got, err := h.anonymous.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: soon.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.GetAssembly(), soon) {
		t.Fatalf("get = %v, want %v", got.GetAssembly(), soon)
	}
	_, err = h.anonymous.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: uuid.NewString()})
	testkit.WantCode(t, err, codes.NotFound)

	// Public, not ended, soonest first, one per page; ties by id.
	var ids []string
	token := ""
	for range 10 {
		resp, err := h.anonymous.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{PageSize: 1, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range resp.GetAssemblies() {
			ids = append(ids, a.GetId())
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
	}
	tied := []string{later.GetId(), sameStart.GetId()}
	slices.Sort(tied)
	want := append([]string{ongoing.GetId(), soon.GetId()}, tied...)
	if !slices.Equal(ids, want) {
		t.Fatalf("listed %v, want %v", ids, want)
	}

	_, err = h.anonymous.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{PageToken: "garbage"})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "page_token") {
		t.Fatalf("violations %v", f)
	}
}

func TestTimeZoneValidation(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	start := time.Now().Add(24 * time.Hour)

	for _, tz := range []string{"Europe/Atlantis", "Europe/Barcelona", "Local", "CEST", "../../etc/passwd"} {
		_, err := h.coordinator.ScheduleAssembly(ctx, meeting("Meeting", start, tz, true))
		if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"time_zone"}) {
			t.Errorf("zone %q: violations %v, want [time_zone]", tz, f)
		}
	}
	// Proto rules run first, through the same field-violation shape.
	_, err := h.coordinator.ScheduleAssembly(ctx, meeting("", start, "Europe/Madrid", true))
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "title") {
		t.Errorf("no title: violations %v", f)
	}
	backwards := meeting("Backwards", start, "Europe/Madrid", true)
	backwards.EndsAt = timestamppb.New(start.Add(-time.Hour))
	_, err = h.coordinator.ScheduleAssembly(ctx, backwards)
	testkit.WantCode(t, err, codes.InvalidArgument)
	noStart := meeting("No start", start, "Europe/Madrid", true)
	noStart.StartsAt = nil
	_, err = h.coordinator.ScheduleAssembly(ctx, noStart)
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "starts_at") {
		t.Errorf("no start: violations %v", f)
	}

	if n, err := h.db.Collection("assemblies").CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Fatalf("stored %d assemblies (err %v), want 0", n, err)
	}
	// Scheduling is for coordinators.
	_, err = h.anonymous.ScheduleAssembly(ctx, meeting("Meeting", start, "Europe/Madrid", true))
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.as(optionsv1.Role_ROLE_REPRESENTATIVE).ScheduleAssembly(ctx, meeting("Meeting", start, "Europe/Madrid", true))
	testkit.WantCode(t, err, codes.PermissionDenied)
}

// A working group meets at 09:00 Amsterdam time the days around the switch to
// summer time, and the same week in New York, where the switch came two
// weeks earlier: the instants move, the wall-clock time in the planning zone
// does not, and the gap between the cities is 5 hours, then 4, then 5 again.
func TestWallClockTimesAcrossDST(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	ams, nyc := zone(t, "Europe/Amsterdam"), zone(t, "America/New_York")
	year := time.Now().Year() + 1

	// Last Sunday of March (EU switch).
	euSwitch := time.Date(year, time.March, 31, 12, 0, 0, 0, time.UTC)
	for euSwitch.Weekday() != time.Sunday {
		euSwitch = euSwitch.AddDate(0, 0, -1)
	}
	for _, c := range []struct {
		day     time.Time
		utcHour int // 09:00 Amsterdam in UTC
		nycHour int // and in New York
	}{
		{euSwitch.AddDate(0, 0, -21), 8, 3}, // both on winter time
		{euSwitch.AddDate(0, 0, -1), 8, 4},  // New York on summer time, Amsterdam not yet
		{euSwitch.AddDate(0, 0, 1), 7, 3},   // both on summer time
	} {
		start := time.Date(c.day.Year(), c.day.Month(), c.day.Day(), 9, 0, 0, 0, ams)
		resp, err := h.coordinator.ScheduleAssembly(ctx, meeting("Working group", start, "Europe/Amsterdam", true))
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.anonymous.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: resp.GetAssembly().GetId()})
		if err != nil {
			t.Fatal(err)
		}
		a := got.GetAssembly()
		startsAt := a.GetStartsAt().AsTime()
		local := startsAt.In(zone(t, a.GetTimeZone()))
		if local.Hour() != 9 || local.Minute() != 0 || local.Day() != c.day.Day() {
			t.Errorf("%s: local start %v, want 09:00", c.day.Format(time.DateOnly), local)
		}
		if startsAt.UTC().Hour() != c.utcHour {
			t.Errorf("%s: starts %v, want %d:00 UTC", c.day.Format(time.DateOnly), startsAt.UTC(), c.utcHour)
		}
		if h := startsAt.In(nyc).Hour(); h != c.nycHour {
			t.Errorf("%s: %d:00 in New York, want %d:00", c.day.Format(time.DateOnly), h, c.nycHour)
		}
		if end := a.GetEndsAt().AsTime().In(ams); end.Hour() != 10 {
			t.Errorf("%s: local end %v, want 10:00", c.day.Format(time.DateOnly), end)
		}
	}
}

func TestNonPublicAssemblyHiddenFromAnonymousCallers(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	resp, err := h.coordinator.ScheduleAssembly(ctx, meeting("Leadership Board", time.Now().Add(48*time.Hour), "Europe/Amsterdam", false))
	if err != nil {
		t.Fatal(err)
	}
	board := resp.GetAssembly()
	if board.GetPublic() {
		t.Fatal("scheduled as public")
	}
	req := &eventsv1.GetAssemblyRequest{AssemblyId: board.GetId()}

	_, err = h.anonymous.GetAssembly(ctx, req)
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.as(optionsv1.Role_ROLE_REPRESENTATIVE).GetAssembly(ctx, req)
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.as(optionsv1.Role_ROLE_SERVICE).GetAssembly(ctx, req)
	testkit.WantCode(t, err, codes.NotFound)

	got, err := h.coordinator.GetAssembly(ctx, req)
	if err != nil {
		t.Fatalf("coordinator: %v", err)
	}
	if !proto.Equal(got.GetAssembly(), board) {
		t.Fatalf("coordinator got %v, want %v", got.GetAssembly(), board)
	}

	for _, c := range []eventsv1.EventsServiceClient{h.anonymous, h.coordinator} {
		list, err := c.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.GetAssemblies()) != 0 {
			t.Errorf("public calendar lists %v", list.GetAssemblies())
		}
	}
}

func TestAssemblyScheduledPublishedExactlyOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	_, js := h.env.JetStream(t)

	resp, err := h.coordinator.ScheduleAssembly(ctx, meeting("Working group on AI", time.Now().Add(24*time.Hour), "Europe/Madrid", true))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()

	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		n, err := h.db.Collection("assemblies").CountDocuments(ctx, bson.D{{Key: "outbox_pending", Value: true}})
		return err == nil && n == 0, err
	})
	time.Sleep(1500 * time.Millisecond) // more relay rounds: nothing may be published again

	cons, err := js.OrderedConsumer(ctx, broker.StreamName(service.Name), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"events.assembly.scheduled"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var found []*eventsv1.Assembly
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			if got := msg.Headers().Get(broker.HeaderType); got != "coalition.events.v1.AssemblyScheduled" {
				t.Fatalf("ce-type %q", got)
			}
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				t.Fatal(err)
			}
			var e eventsv1.AssemblyScheduled
			if err := ev.Decode(&e); err != nil {
				t.Fatal(err)
			}
			if e.GetAssembly().GetId() != id {
				continue // another test's
			}
			if ev.Source != "/coalition/events" || msg.Headers().Get(nats.MsgIdHdr) != ev.ID {
				t.Errorf("headers %v", msg.Headers())
			}
			found = append(found, e.GetAssembly())
		}
		if err := batch.Error(); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if len(found) != 1 || !proto.Equal(found[0], resp.GetAssembly()) {
		t.Fatalf("published %v, want exactly %v", found, resp.GetAssembly())
	}
}

func TestDemoData(t *testing.T) {
	t.Parallel()
	mad := zone(t, "Europe/Madrid")
	// Whichever season it is now and in three months, the conference is
	// 09:00–17:00 in Barcelona on a weekday.
	for _, now := range []time.Time{
		time.Date(2026, time.January, 10, 8, 0, 0, 0, time.UTC),   // conference after the spring switch
		time.Date(2026, time.August, 2, 23, 30, 0, 0, time.UTC),   // conference after the autumn switch
		time.Date(2026, time.December, 31, 23, 0, 0, 0, time.UTC), // new year already in Barcelona
	} {
		conf := service.DemoData(now)[0]
		start, end := conf.GetStartsAt().AsTime().In(mad), conf.GetEndsAt().AsTime().In(mad)
		if start.Hour() != 9 || end.Hour() != 17 || start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
			t.Errorf("now %v: conference %v – %v", now, start, end)
		}
		if d := start.Sub(now); d < 80*24*time.Hour || d > 100*24*time.Hour {
			t.Errorf("now %v: conference in %v, want about three months", now, d)
		}
	}

	h := start(t)
	ctx := testkit.Context(t)
	demo := service.DemoData(time.Now())
	var conference, board *eventsv1.Assembly
	for _, r := range demo {
		resp, err := h.coordinator.ScheduleAssembly(ctx, r)
		if err != nil {
			t.Fatalf("demo %q: %v", r.GetTitle(), err)
		}
		switch r.GetKind() {
		case eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE:
			conference = resp.GetAssembly()
		case eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD:
			board = resp.GetAssembly()
		}
	}
	if conference == nil || board == nil {
		t.Fatal("demo lacks the Annual Conference or the Leadership Board")
	}
	if conference.GetPlace().GetHostCity() != "Barcelona" || !conference.GetPublic() || board.GetPublic() ||
		board.GetTimeZone() != "Europe/Amsterdam" {
		t.Fatalf("conference %v, board %v", conference, board)
	}
	list, err := h.anonymous.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetAssemblies()) != 1 || list.GetAssemblies()[0].GetId() != conference.GetId() {
		t.Fatalf("public calendar = %v, want only the conference", list.GetAssemblies())
	}
	_, err = h.anonymous.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: board.GetId()})
	testkit.WantCode(t, err, codes.NotFound)
}
