package console

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// option is one choice of a select, radio group or checkbox list.
type option struct {
	Value, Label string
}

// The principles, as the declaration words them.
var principles = []option{
	{"PRINCIPLE_UNIVERSAL_ACCESS", "Universal and equal access to the internet, and digital literacy"},
	{"PRINCIPLE_PRIVACY", "Privacy, data protection and security"},
	{"PRINCIPLE_TRANSPARENCY", "Transparency, accountability and non-discrimination of data, content and algorithms"},
	{"PRINCIPLE_PARTICIPATION", "Participatory democracy, diversity and inclusion"},
	{"PRINCIPLE_OPEN_STANDARDS", "Open and ethical digital service standards"},
}

func principleLabel(p membershipv1.Principle) string {
	for _, o := range principles {
		if o.Value == p.String() {
			return o.Label
		}
	}
	return p.String()
}

var applicationStatuses = []option{
	{"APPLICATION_STATUS_SUBMITTED", "Submitted"},
	{"APPLICATION_STATUS_UNDER_REVIEW", "Under review"},
	{"APPLICATION_STATUS_APPROVED", "Approved"},
	{"APPLICATION_STATUS_REJECTED", "Rejected"},
	{"APPLICATION_STATUS_DRAFT", "Draft"},
}

func applicationStatusLabel(s membershipv1.ApplicationStatus) string {
	if s == membershipv1.ApplicationStatus_APPLICATION_STATUS_UNSPECIFIED {
		return "—"
	}
	return labelOf(applicationStatuses, s.String())
}

var memberStatuses = []option{
	{"MEMBER_STATUS_MEMBER", "Member"},
	{"MEMBER_STATUS_SUSPENDED", "Suspended"},
	{"MEMBER_STATUS_WITHDRAWN", "Withdrawn"},
	{"MEMBER_STATUS_APPLICANT", "Applicant"},
}

func memberStatusLabel(s membershipv1.MemberStatus) string {
	if s == membershipv1.MemberStatus_MEMBER_STATUS_UNSPECIFIED {
		return "—"
	}
	return labelOf(memberStatuses, s.String())
}

var memberKinds = []option{
	{"MEMBER_KIND_CITY", "City"},
	{"MEMBER_KIND_CITY_NETWORK", "Network of cities"},
	{"MEMBER_KIND_PARTNER", "Partner organisation"},
}

func memberKindLabel(k membershipv1.MemberKind) string { return labelOf(memberKinds, k.String()) }

var representativeRoles = []option{
	{"REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE", "Political representative"},
	{"REPRESENTATIVE_ROLE_TECHNICAL_CONTACT", "Technical contact"},
	{"REPRESENTATIVE_ROLE_OTHER", "Other"},
}

func representativeRoleLabel(r membershipv1.RepresentativeRole) string {
	return labelOf(representativeRoles, r.String())
}

var commitmentKinds = []option{
	{"COMMITMENT_KIND_COUNCIL_RESOLUTION", "Council resolution"},
	{"COMMITMENT_KIND_MAYORS_LETTER", "Mayor's letter"},
	{"COMMITMENT_KIND_OTHER", "Other"},
}

var bodyKinds = []option{
	{"BODY_KIND_ANNUAL_CONFERENCE", "Annual Conference"},
	{"BODY_KIND_LEADERSHIP_BOARD", "Leadership Board"},
	{"BODY_KIND_EXECUTIVE_COORDINATION_TEAM", "Executive Coordination Team"},
	{"BODY_KIND_WORKING_GROUP", "Working group"},
}

func labelOf(opts []option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// validOption reports whether value is one of opts.
func validOption(opts []option, value string) bool {
	for _, o := range opts {
		if o.Value == value {
			return true
		}
	}
	return false
}

// when is a timestamp as a time (zero when unset).
func when(ts *timestamppb.Timestamp) time.Time {
	if ts == nil || !ts.IsValid() || (ts.GetSeconds() == 0 && ts.GetNanos() == 0) {
		return time.Time{}
	}
	return ts.AsTime()
}
