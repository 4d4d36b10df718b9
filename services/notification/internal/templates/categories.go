package templates

import "slices"

// Category is a kind of email. Transactional email answers something the
// person did or must act on and is always sent; every other category is
// optional: it carries RFC 8058 one-click List-Unsubscribe headers, and a
// recipient who opted out of it is not sent it (the delivery is recorded
// as suppressed).
type Category string

// The categories.
const (
	// Transactional: confirmation links, "you already signed", withdrawal
	// and erasure confirmations, decisions on an application, a
	// representative's welcome, assembly invitations, updates and
	// cancellations.
	Transactional Category = "transactional"
	// PetitionNews: how a petition the person signed ended (they asked to
	// hear it when signing).
	PetitionNews Category = "petition_news"
	// CoordinatorAlerts: petition milestones and goals, for coordinators.
	CoordinatorAlerts Category = "coordinator_alerts"
	// AssemblyReminders: reminders before an assembly one is invited to.
	AssemblyReminders Category = "assembly_reminders"
)

// Optional lists the categories a recipient can opt out of, in the order
// the preferences page shows them.
func Optional() []Category { return []Category{PetitionNews, CoordinatorAlerts, AssemblyReminders} }

// Essential reports whether email of the category is always sent.
func (c Category) Essential() bool { return c == Transactional }

// Known reports whether c is a category.
func (c Category) Known() bool { return c == Transactional || slices.Contains(Optional(), c) }

// categories classifies the templates. A template not listed is
// transactional (never suppressed): list every optional one here.
func categories() map[string]Category {
	return map[string]Category{
		"signature_confirmation":      Transactional,
		"signature_already_confirmed": Transactional,
		"signature_withdrawn":         Transactional,
		"erasure_confirmation":        Transactional,
		"application_received":        Transactional,
		"application_approved":        Transactional,
		"application_rejected":        Transactional,
		"representative_welcome":      Transactional,
		"petition_succeeded":          PetitionNews,
		"petition_milestone":          CoordinatorAlerts,
		"petition_goal_reached":       CoordinatorAlerts,
		"assembly_invitation":         Transactional,
		"assembly_updated":            Transactional,
		"assembly_cancelled":          Transactional,
		"assembly_uninvited":          Transactional,
		"assembly_minutes":            Transactional,
		"assembly_reminder":           AssemblyReminders,
	}
}

// CategoryOf is the category of a template.
func CategoryOf(template string) Category {
	if c, ok := categories()[template]; ok {
		return c
	}
	return Transactional
}

// CategoryText is a category's name and description in one language.
type CategoryText struct{ Title, Description string }

// DescribeCategory names a category in lang (English when the language is
// not one of ours).
func DescribeCategory(c Category, lang string) CategoryText {
	texts := categoryWords()[c]
	if t, ok := texts[Language(lang)]; ok {
		return t
	}
	return texts["en"]
}
