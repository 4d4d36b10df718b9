package consumers

import (
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// The assembly emails. Invitations and updates carry a REQUEST (same UID,
// the assembly's SEQUENCE) that adds or changes the meeting in the
// invitee's calendar; cancellations a CANCEL that removes it. Reminders and
// minutes change no calendar, so they carry none: a REQUEST would make
// calendar apps ask for an answer again.

var invitationEmail = assemblyEmail{template: "assembly_invitation", method: icalendar.MethodRequest}

// The invitee's invitation was withdrawn (a METHOD:CANCEL for them only).
var uninvitedEmail = assemblyEmail{template: "assembly_uninvited", method: icalendar.MethodCancel}

var reminderEmail = assemblyEmail{template: "assembly_reminder"}

// rescheduledEmail shows the new times and, crossed out, the previous ones
// in the invitee's zone and the planning zone.
func rescheduledEmail(planZone string, prevStart, prevEnd time.Time) assemblyEmail {
	return assemblyEmail{
		template: "assembly_updated", method: icalendar.MethodRequest, rescheduled: true,
		extra: func(data map[string]any, lang, zone string) {
			data["Changed"] = []string{"changed_time"}
			data["OldYourTimes"] = spanText(prevStart, prevEnd, zone, lang)
			data["OldPlanTimes"] = spanText(prevStart, prevEnd, planZone, lang)
		},
	}
}

// updatedEmail names what changed (each a phrase key of the template).
func updatedEmail(changed []string) assemblyEmail {
	keys := make([]string, 0, len(changed))
	for _, c := range changed {
		if len(c) <= 40 { // field names of the contract; bounded all the same
			keys = append(keys, "changed_"+c)
		}
	}
	return assemblyEmail{
		template: "assembly_updated", method: icalendar.MethodRequest,
		extra: func(data map[string]any, _, _ string) { data["Changed"] = keys },
	}
}

func cancelledEmail(reason string) assemblyEmail {
	return assemblyEmail{
		template: "assembly_cancelled", method: icalendar.MethodCancel,
		extra: func(data map[string]any, _, _ string) { data["Reason"] = reason },
	}
}

func minutesEmail(m *eventsv1.Minutes) assemblyEmail {
	return assemblyEmail{
		template: "assembly_minutes",
		extra: func(data map[string]any, _, _ string) {
			data["MinutesText"] = m.GetText()
			data["Outcomes"] = m.GetOutcomes()
		},
	}
}
