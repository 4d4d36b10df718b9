package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// ToProto maps a member to its contract form (public facts only).
func ToProto(m domain.Member) *membershipv1.Member {
	out := &membershipv1.Member{
		Id: m.ID, Name: m.Name, Kind: KindToProto(m.Kind), Country: m.Country, Region: m.Region,
		Population: int32(m.Population), Status: StatusToProto(m.Status), Commitment: m.Commitment,
	}
	for _, p := range m.Principles {
		out.Principles = append(out.Principles, PrincipleToProto(p))
	}
	if !m.JoinedAt.IsZero() {
		out.JoinedAt = timestamppb.New(m.JoinedAt)
	}
	return out
}

// KindToProto maps a member kind to the contract's enum.
func KindToProto(k domain.Kind) membershipv1.MemberKind {
	switch k {
	case domain.KindCity:
		return membershipv1.MemberKind_MEMBER_KIND_CITY
	case domain.KindCityNetwork:
		return membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK
	case domain.KindPartner:
		return membershipv1.MemberKind_MEMBER_KIND_PARTNER
	default:
		return membershipv1.MemberKind_MEMBER_KIND_UNSPECIFIED
	}
}

// KindFromProto maps the contract's enum to a member kind ("" if unspecified).
func KindFromProto(k membershipv1.MemberKind) domain.Kind {
	switch k {
	case membershipv1.MemberKind_MEMBER_KIND_CITY:
		return domain.KindCity
	case membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK:
		return domain.KindCityNetwork
	case membershipv1.MemberKind_MEMBER_KIND_PARTNER:
		return domain.KindPartner
	default:
		return ""
	}
}

// StatusToProto maps a member status to the contract's enum.
func StatusToProto(s domain.Status) membershipv1.MemberStatus {
	switch s {
	case domain.StatusApplicant:
		return membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT
	case domain.StatusMember:
		return membershipv1.MemberStatus_MEMBER_STATUS_MEMBER
	case domain.StatusSuspended:
		return membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED
	case domain.StatusWithdrawn:
		return membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN
	default:
		return membershipv1.MemberStatus_MEMBER_STATUS_UNSPECIFIED
	}
}

// StatusFromProto maps the contract's enum to a member status ("" if unspecified).
func StatusFromProto(s membershipv1.MemberStatus) domain.Status {
	switch s {
	case membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT:
		return domain.StatusApplicant
	case membershipv1.MemberStatus_MEMBER_STATUS_MEMBER:
		return domain.StatusMember
	case membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED:
		return domain.StatusSuspended
	case membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN:
		return domain.StatusWithdrawn
	default:
		return ""
	}
}
