package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// enumMap is a two-way mapping between domain values and proto enums.
type enumMap[D comparable, P comparable] struct {
	to   map[D]P
	from map[P]D
}

func newEnumMap[D comparable, P comparable](to map[D]P) enumMap[D, P] {
	from := make(map[P]D, len(to))
	for d, p := range to {
		from[p] = d
	}
	return enumMap[D, P]{to: to, from: from}
}

var (
	principles = newEnumMap(map[domain.Principle]membershipv1.Principle{
		domain.PrincipleUniversalAccess: membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS,
		domain.PrinciplePrivacy:         membershipv1.Principle_PRINCIPLE_PRIVACY,
		domain.PrincipleTransparency:    membershipv1.Principle_PRINCIPLE_TRANSPARENCY,
		domain.PrincipleParticipation:   membershipv1.Principle_PRINCIPLE_PARTICIPATION,
		domain.PrincipleOpenStandards:   membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS,
	})
	appStatuses = newEnumMap(map[domain.ApplicationStatus]membershipv1.ApplicationStatus{
		domain.ApplicationDraft:       membershipv1.ApplicationStatus_APPLICATION_STATUS_DRAFT,
		domain.ApplicationSubmitted:   membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED,
		domain.ApplicationUnderReview: membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW,
		domain.ApplicationApproved:    membershipv1.ApplicationStatus_APPLICATION_STATUS_APPROVED,
		domain.ApplicationRejected:    membershipv1.ApplicationStatus_APPLICATION_STATUS_REJECTED,
	})
	commitmentKinds = newEnumMap(map[domain.CommitmentKind]membershipv1.CommitmentKind{
		domain.CommitmentCouncilResolution: membershipv1.CommitmentKind_COMMITMENT_KIND_COUNCIL_RESOLUTION,
		domain.CommitmentMayorsLetter:      membershipv1.CommitmentKind_COMMITMENT_KIND_MAYORS_LETTER,
		domain.CommitmentOther:             membershipv1.CommitmentKind_COMMITMENT_KIND_OTHER,
	})
	roles = newEnumMap(map[domain.Role]membershipv1.RepresentativeRole{
		domain.RolePolitical: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE,
		domain.RoleTechnical: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT,
		domain.RoleOther:     membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_OTHER,
	})
	bodyKinds = newEnumMap(map[domain.BodyKind]membershipv1.BodyKind{
		domain.BodyAnnualConference: membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE,
		domain.BodyLeadershipBoard:  membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD,
		domain.BodyCoordination:     membershipv1.BodyKind_BODY_KIND_EXECUTIVE_COORDINATION_TEAM,
		domain.BodyWorkingGroup:     membershipv1.BodyKind_BODY_KIND_WORKING_GROUP,
	})
)

// PrincipleToProto and the functions below map enums both ways ("" or
// UNSPECIFIED for unknown values).
func PrincipleToProto(p domain.Principle) membershipv1.Principle   { return principles.to[p] }
func PrincipleFromProto(p membershipv1.Principle) domain.Principle { return principles.from[p] }

// PrinciplesFromProto maps a list of principles.
func PrinciplesFromProto(ps []membershipv1.Principle) []domain.Principle {
	var out []domain.Principle
	for _, p := range ps {
		out = append(out, PrincipleFromProto(p))
	}
	return out
}
func AppStatusToProto(s domain.ApplicationStatus) membershipv1.ApplicationStatus {
	return appStatuses.to[s]
}
func AppStatusFromProto(s membershipv1.ApplicationStatus) domain.ApplicationStatus {
	return appStatuses.from[s]
}
func CommitmentKindFromProto(k membershipv1.CommitmentKind) domain.CommitmentKind {
	return commitmentKinds.from[k]
}
func RoleToProto(r domain.Role) membershipv1.RepresentativeRole   { return roles.to[r] }
func RoleFromProto(r membershipv1.RepresentativeRole) domain.Role { return roles.from[r] }
func BodyKindFromProto(k membershipv1.BodyKind) domain.BodyKind   { return bodyKinds.from[k] }

// ApplicationToProto maps an application (with its contact person: for
// coordinators and the applicant only).
func ApplicationToProto(a domain.Application) *membershipv1.Application {
	out := &membershipv1.Application{
		Id: a.ID, City: a.City, Country: a.Country, Region: a.Region, Kind: KindToProto(a.Kind),
		Population: int32(a.Population), Language: a.Language, Status: AppStatusToProto(a.Status),
		Contact:         &membershipv1.ContactPerson{Name: a.Contact.Name, Email: a.Contact.Email, Role: a.Contact.Role},
		RejectionReason: a.RejectionReason, MemberId: a.MemberID, CreatedAt: timestamppb.New(a.CreatedAt),
		Commitment: &membershipv1.PoliticalCommitment{
			Kind: commitmentKinds.to[a.Commitment.Kind], Reference: a.Commitment.Reference, Date: timestamppb.New(a.Commitment.Date),
		},
	}
	for _, p := range a.Policies {
		pp := &membershipv1.Policy{Title: p.Title, Description: p.Description, Link: p.Link}
		for _, pr := range p.Principles {
			pp.Principles = append(pp.Principles, PrincipleToProto(pr))
		}
		out.Policies = append(out.Policies, pp)
	}
	for _, t := range a.History {
		out.History = append(out.History, &membershipv1.ApplicationTransition{
			From: AppStatusToProto(t.From), To: AppStatusToProto(t.To), By: t.By, At: timestamppb.New(t.At), Reason: t.Reason,
		})
	}
	return out
}

// draftFields are the applicant's fields, which the create and update
// requests share.
type draftFields interface {
	GetCity() string
	GetCountry() string
	GetRegion() string
	GetKind() membershipv1.MemberKind
	GetPopulation() int32
	GetContact() *membershipv1.ContactPerson
	GetLanguage() string
	GetCommitment() *membershipv1.PoliticalCommitment
	GetPolicies() []*membershipv1.Policy
}

// ApplicationFromProto maps a create or update request to a draft application.
func ApplicationFromProto(r draftFields) domain.Application {
	a := domain.Application{
		City: r.GetCity(), Country: r.GetCountry(), Region: r.GetRegion(), Kind: KindFromProto(r.GetKind()),
		Population: int64(r.GetPopulation()), Language: r.GetLanguage(),
		Contact: domain.Contact{Name: r.GetContact().GetName(), Email: r.GetContact().GetEmail(), Role: r.GetContact().GetRole()},
		Commitment: domain.Commitment{
			Kind: CommitmentKindFromProto(r.GetCommitment().GetKind()), Reference: r.GetCommitment().GetReference(),
			Date: r.GetCommitment().GetDate().AsTime(),
		},
	}
	for _, p := range r.GetPolicies() {
		dp := domain.Policy{Title: p.GetTitle(), Description: p.GetDescription(), Link: p.GetLink()}
		for _, pr := range p.GetPrinciples() {
			dp.Principles = append(dp.Principles, PrincipleFromProto(pr))
		}
		a.Policies = append(a.Policies, dp)
	}
	return a
}

// RepresentativeToProto maps a representative (personal data).
func RepresentativeToProto(r domain.Representative) *membershipv1.Representative {
	return &membershipv1.Representative{
		Id: r.ID, MemberId: r.MemberID, Name: r.Name, Email: r.Email, Role: RoleToProto(r.Role),
		Language: r.Language, TimeZone: r.TimeZone, CreatedAt: timestamppb.New(r.CreatedAt),
	}
}

// RepresentativeFromProto maps the editable details.
func RepresentativeFromProto(d *membershipv1.RepresentativeDetails) domain.Representative {
	return domain.Representative{
		Name: d.GetName(), Email: d.GetEmail(), Role: RoleFromProto(d.GetRole()), Language: d.GetLanguage(), TimeZone: d.GetTimeZone(),
	}
}

// BodyToProto maps a body: public facts, no personal data (individual
// representatives are counted, not named).
func BodyToProto(b domain.Body) *membershipv1.Body {
	return &membershipv1.Body{
		Id: b.ID, Slug: b.Slug, Name: b.Name, Kind: bodyKinds.to[b.Kind], Description: b.Description,
		Principle: PrincipleToProto(b.Principle), MemberIds: b.MemberIDs, RepresentativeCount: int32(len(b.RepresentativeIDs)),
	}
}
