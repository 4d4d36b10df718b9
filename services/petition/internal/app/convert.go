package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// ToProto maps a petition to its contract form (public: no personal data).
func ToProto(p domain.Petition) *petitionv1.Petition {
	out := &petitionv1.Petition{
		Id: p.ID, City: p.City, Country: p.Country, Region: p.Region, Goal: int32(p.Goal),
		Status: statusToProto(p.Status), ConfirmedCount: int32(p.ConfirmedCount), CreatedAt: timestamppb.New(p.CreatedAt),
	}
	for _, t := range p.Texts {
		out.Texts = append(out.Texts, &petitionv1.PetitionText{Language: t.Language, Title: t.Title, Body: t.Body})
	}
	if !p.ClosesAt.IsZero() {
		out.ClosesAt = timestamppb.New(p.ClosesAt)
	}
	out.RejectionReason = p.RejectionReason
	return out
}

func statusToProto(s domain.PetitionStatus) petitionv1.PetitionStatus {
	switch s {
	case domain.PetitionOpen:
		return petitionv1.PetitionStatus_PETITION_STATUS_OPEN
	case domain.PetitionGoalReached:
		return petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED
	case domain.PetitionSucceeded:
		return petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED
	case domain.PetitionClosed:
		return petitionv1.PetitionStatus_PETITION_STATUS_CLOSED
	case domain.PetitionProposed:
		return petitionv1.PetitionStatus_PETITION_STATUS_PROPOSED
	case domain.PetitionRejected:
		return petitionv1.PetitionStatus_PETITION_STATUS_REJECTED
	default:
		return petitionv1.PetitionStatus_PETITION_STATUS_UNSPECIFIED
	}
}
