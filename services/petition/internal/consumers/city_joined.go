// Package consumers holds the petition service's reactions to other
// services' events: durable JetStream pull consumers wrapped in the
// service's inbox (each event applied once).
package consumers

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/app"
)

// CityJoinedDurable is the durable consumer's name.
const CityJoinedDurable = "petition-city-joined"

// CityJoined moves a city's petition to succeeded when the city joins.
type CityJoined struct {
	App *app.App
	// Durable overrides CityJoinedDurable (tests that run several
	// instances on one NATS give each its own).
	Durable string
}

// Config is its durable consumer on the MEMBERSHIP stream.
func (c CityJoined) Config() broker.ConsumerConfig {
	name := c.Durable
	if name == "" {
		name = CityJoinedDurable
	}
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("membership"),
		Durable:        name,
		FilterSubjects: []string{"membership.city.joined"},
		Workers:        1,
	}
}

// Handle applies one CityJoined event.
func (c CityJoined) Handle(ctx context.Context, ev broker.Event) error {
	var m membershipv1.CityJoined
	if err := ev.Decode(&m); err != nil {
		return broker.Permanent(err)
	}
	mem := m.GetMember()
	if mem.GetId() == "" || mem.GetName() == "" {
		return broker.Permanent(errMissingMember)
	}
	return c.App.CityJoined(ctx, mem.GetId(), mem.GetName(), mem.GetCountry())
}

type constError string

func (e constError) Error() string { return string(e) }

const errMissingMember = constError("CityJoined without a member id or name")
