package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
)

// ToProto maps an assembly to its contract form.
func ToProto(a domain.Assembly) *eventsv1.Assembly {
	out := &eventsv1.Assembly{
		Id: a.ID, Kind: KindToProto(a.Kind), Title: a.Title, Description: a.Description,
		StartsAt: timestamppb.New(a.StartsAt), EndsAt: timestamppb.New(a.EndsAt), TimeZone: a.TimeZone,
		OnlineUrl: a.OnlineURL, Public: a.Public, Status: StatusToProto(a.Status),
	}
	if a.HostCity != "" || a.Venue != "" {
		out.Place = &eventsv1.Place{HostCity: a.HostCity, Venue: a.Venue}
	}
	return out
}

var kinds = map[domain.Kind]eventsv1.AssemblyKind{
	domain.KindAnnualConference: eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE,
	domain.KindLeadershipBoard:  eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD,
	domain.KindCoordinationTeam: eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM,
	domain.KindWorkingGroup:     eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP,
	domain.KindOther:            eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER,
}

// KindToProto maps an assembly kind to the contract's enum.
func KindToProto(k domain.Kind) eventsv1.AssemblyKind {
	return kinds[k] // unknown: ASSEMBLY_KIND_UNSPECIFIED (0)
}

// KindFromProto maps the contract's enum to an assembly kind ("" if unspecified).
func KindFromProto(k eventsv1.AssemblyKind) domain.Kind {
	for d, p := range kinds {
		if p == k {
			return d
		}
	}
	return ""
}

// StatusToProto maps an assembly status to the contract's enum.
func StatusToProto(s domain.Status) eventsv1.AssemblyStatus {
	switch s {
	case domain.StatusScheduled:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED
	case domain.StatusCancelled:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED
	default:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_UNSPECIFIED
	}
}
