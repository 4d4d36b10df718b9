package pages

import (
	"strings"
	"time"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// petitionView is a petition as the pages show it, in one language.
type petitionView struct {
	ID       string
	City     string
	Country  string
	Region   string
	Title    string
	Body     []string // paragraphs
	Lang     string   // the language of Title and Body
	Goal     int64
	Count    int64
	Percent  int64
	Status   string
	Open     bool
	ClosesAt time.Time // zero: no end
}

// Foreign reports whether the petition's text is in another language than
// the page (it then carries its own lang attribute).
func (v petitionView) Foreign(page string) bool { return v.Lang != "" && v.Lang != page }

var petitionStatusKeys = map[petitionv1.PetitionStatus]string{
	petitionv1.PetitionStatus_PETITION_STATUS_OPEN:         "petition.status.open",
	petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED: "petition.status.goal_reached",
	petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED:    "petition.status.succeeded",
	petitionv1.PetitionStatus_PETITION_STATUS_CLOSED:       "petition.status.closed",
}

// viewPetition shows pt in loc's language: its text in that language if it
// has one, else in English, else in its first language.
func viewPetition(pt *petitionv1.Petition, loc *i18n.Locale) petitionView {
	v := petitionView{
		ID: pt.GetId(), City: pt.GetCity(), Country: pt.GetCountry(), Region: pt.GetRegion(),
		Goal: int64(pt.GetGoal()), Count: int64(pt.GetConfirmedCount()),
	}
	if text := pickText(pt.GetTexts(), loc.Code()); text != nil {
		v.Title, v.Lang = text.GetTitle(), text.GetLanguage()
		for para := range strings.SplitSeq(strings.ReplaceAll(text.GetBody(), "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				v.Body = append(v.Body, para)
			}
		}
	}
	if v.Title == "" {
		v.Title, v.Lang = loc.T("petition.default_title", v.City), loc.Code()
	}
	if v.Goal > 0 {
		v.Percent = min(100, v.Count*100/v.Goal)
	}
	if key, ok := petitionStatusKeys[pt.GetStatus()]; ok {
		v.Status = loc.T(key)
	}
	switch pt.GetStatus() {
	case petitionv1.PetitionStatus_PETITION_STATUS_OPEN, petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED:
		v.Open = true
	}
	if ts := pt.GetClosesAt(); ts != nil && ts.IsValid() {
		v.ClosesAt = ts.AsTime().UTC()
	}
	return v
}

func pickText(texts []*petitionv1.PetitionText, lang string) *petitionv1.PetitionText {
	for _, want := range []string{lang, i18n.Default} {
		for _, t := range texts {
			if base, _, _ := strings.Cut(t.GetLanguage(), "-"); base == want {
				return t
			}
		}
	}
	if len(texts) > 0 {
		return texts[0]
	}
	return nil
}
