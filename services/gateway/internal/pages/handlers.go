package pages

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// language is the one the pages are written in until they are translated.
const language = "en"

type petitionView struct {
	ID       string
	City     string
	Country  string
	Region   string
	Title    string
	Body     []string // paragraphs
	Lang     string
	Goal     int64
	Count    int64
	Percent  int64
	Status   string
	Open     bool
	ClosesAt string
}

func viewPetition(pt *petitionv1.Petition) petitionView {
	v := petitionView{
		ID: pt.GetId(), City: pt.GetCity(), Country: pt.GetCountry(), Region: pt.GetRegion(),
		Goal: int64(pt.GetGoal()), Count: int64(pt.GetConfirmedCount()),
	}
	texts := pt.GetTexts()
	var text *petitionv1.PetitionText
	for _, t := range texts {
		if t.GetLanguage() == language {
			text = t
			break
		}
	}
	if text == nil && len(texts) > 0 {
		text = texts[0]
	}
	if text != nil {
		v.Title, v.Lang = text.GetTitle(), text.GetLanguage()
		for para := range strings.SplitSeq(strings.ReplaceAll(text.GetBody(), "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				v.Body = append(v.Body, para)
			}
		}
	}
	if v.Title == "" {
		v.Title = "Petition for " + v.City
	}
	if v.Goal > 0 {
		v.Percent = min(100, v.Count*100/v.Goal)
	}
	switch pt.GetStatus() {
	case petitionv1.PetitionStatus_PETITION_STATUS_OPEN:
		v.Status, v.Open = "Open for signatures", true
	case petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED:
		v.Status, v.Open = "Goal reached — still open for signatures", true
	case petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED:
		v.Status = "Succeeded: the city joined the coalition"
	case petitionv1.PetitionStatus_PETITION_STATUS_CLOSED:
		v.Status = "Closed"
	}
	if ts := pt.GetClosesAt(); ts != nil && ts.IsValid() {
		v.ClosesAt = ts.AsTime().UTC().Format("2 January 2006")
	}
	return v
}

type memberView struct {
	Name    string
	Country string
	Network bool
}

type homePage struct {
	Petitions            []petitionView
	PetitionsUnavailable bool
	Members              []memberView
	MembersUnavailable   bool
}

// home shows what the coalition is, the open petitions and the member
// cities. A service that cannot answer leaves its section with a notice
// rather than failing the whole page.
func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := outgoing(r)
	defer cancel()
	var data homePage
	var g errgroup.Group
	g.Go(func() error {
		resp, err := p.petitions.ListPetitions(ctx, &petitionv1.ListPetitionsRequest{PageSize: 50})
		if err != nil {
			p.log.Warn("home: list petitions", zap.String("code", status.Code(err).String()))
			data.PetitionsUnavailable = true
			return nil
		}
		for _, pt := range resp.GetPetitions() {
			if v := viewPetition(pt); v.Open {
				data.Petitions = append(data.Petitions, v)
			}
		}
		return nil
	})
	g.Go(func() error {
		resp, err := p.members.ListMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 500})
		if err != nil {
			p.log.Warn("home: list members", zap.String("code", status.Code(err).String()))
			data.MembersUnavailable = true
			return nil
		}
		for _, m := range resp.GetMembers() {
			if m.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER {
				continue
			}
			switch m.GetKind() {
			case membershipv1.MemberKind_MEMBER_KIND_CITY, membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK:
				data.Members = append(data.Members, memberView{
					Name: m.GetName(), Country: m.GetCountry(),
					Network: m.GetKind() == membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK,
				})
			}
		}
		return nil
	})
	_ = g.Wait()
	p.render(w, r, http.StatusOK, "home", "Cities Coalition for Digital Rights", data)
}

// signForm is the sign form's values and the messages shown beside them.
type signForm struct {
	Name          string
	Email         string
	ShowName      bool
	LivesOrWorks  bool
	NotifyOutcome bool
	Errors        map[string]string
	Other         []string
}

func (f signForm) HasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

type petitionPage struct {
	Petition petitionView
	Form     signForm
}

// getPetition loads a petition for a page; false when it rendered an error.
func (p *Pages) getPetition(w http.ResponseWriter, r *http.Request, id string) (*petitionv1.Petition, bool) {
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: id})
	switch status.Code(err) {
	case codes.OK:
		return resp.GetPetition(), true
	case codes.NotFound, codes.InvalidArgument:
		p.renderError(w, r, http.StatusNotFound, "Petition not found",
			"There is no petition at this address. It may have been removed, or the link may be incomplete.")
	default:
		p.unavailable(w, r, "GetPetition", err)
	}
	return nil, false
}

func (p *Pages) petition(w http.ResponseWriter, r *http.Request) {
	pt, ok := p.getPetition(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	v := viewPetition(pt)
	p.render(w, r, http.StatusOK, "petition", v.Title, petitionPage{Petition: v, Form: signForm{NotifyOutcome: false}})
}

type signedPage struct {
	Petition petitionView
}

func checked(r *http.Request, name string) bool {
	switch strings.ToLower(r.PostFormValue(name)) {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

// echo bounds what a re-rendered form sends back of a value.
func echo(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// sign takes the sign form. Whatever the outcome for the address (first
// signature, repeated, already confirmed) the answer is the same "check
// your email" page; invalid input re-renders the form with the messages
// beside the fields.
func (p *Pages) sign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		if httpx.BodyTooLarge(r.Context(), err) {
			p.TooLarge(w, r)
			return
		}
		p.renderError(w, r, http.StatusBadRequest, "Could not read the form", "Please go back and send the form again.")
		return
	}
	form := signForm{
		Name:          strings.TrimSpace(r.PostFormValue("name")),
		Email:         strings.TrimSpace(r.PostFormValue("email")),
		ShowName:      checked(r, "show_name"),
		LivesOrWorks:  checked(r, "lives_or_works_in_city"),
		NotifyOutcome: checked(r, "notify_outcome"),
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.petitions.SignPetition(ctx, &petitionv1.SignPetitionRequest{
		PetitionId:         id,
		Name:               form.Name,
		ShowName:           form.ShowName,
		Email:              form.Email,
		LivesOrWorksInCity: form.LivesOrWorks,
		NotifyOutcome:      form.NotifyOutcome,
		Language:           language,
	})
	code := status.Code(err)
	if code == codes.OK {
		pt, ok := p.getPetition(w, r, id)
		if !ok {
			return
		}
		p.render(w, r, http.StatusOK, "signed", "Check your email", signedPage{Petition: viewPetition(pt)})
		return
	}
	switch code {
	case codes.InvalidArgument:
		violations := fieldViolations(err)
		for _, v := range violations {
			if v.GetField() == "petition_id" {
				p.renderError(w, r, http.StatusNotFound, "Petition not found", "There is no petition at this address.")
				return
			}
		}
		form.Errors = map[string]string{}
		for _, v := range violations {
			field := v.GetField()
			msg := fieldMessage(field, v.GetReason(), v.GetDescription())
			switch field {
			case "name", "email", "lives_or_works_in_city":
				if _, dup := form.Errors[field]; !dup {
					form.Errors[field] = msg
				}
			default:
				form.Other = append(form.Other, msg)
			}
		}
		if len(violations) == 0 {
			form.Other = append(form.Other, "Please check the form and try again.")
		}
		pt, ok := p.getPetition(w, r, id)
		if !ok {
			return
		}
		form.Name, form.Email = echo(form.Name, 400), echo(form.Email, 400)
		v := viewPetition(pt)
		p.render(w, r, http.StatusBadRequest, "petition", "Error: "+v.Title, petitionPage{Petition: v, Form: form})
	case codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "Petition not found", "There is no petition at this address.")
	case codes.FailedPrecondition:
		p.renderError(w, r, http.StatusConflict, "This petition is closed", "This petition no longer takes signatures.")
	case codes.ResourceExhausted:
		p.renderError(w, r, http.StatusTooManyRequests, "Too many attempts", "Please wait a little and try again.")
	default:
		p.unavailable(w, r, "SignPetition", err)
	}
}

// fieldMessage is the sentence shown beside a field for a violation.
func fieldMessage(field, reason, description string) string {
	switch field {
	case "name":
		switch reason {
		case "string.min_len":
			return "Enter your name."
		case "string.max_len":
			return "Your name can be at most 100 characters long."
		}
	case "email":
		return "Enter a valid email address, like name@example.org."
	case "lives_or_works_in_city":
		return "You can sign only if you live or work in this city: tick the box to confirm."
	}
	if description == "" {
		return "This value is not valid."
	}
	return strings.ToUpper(description[:1]) + description[1:] + "."
}

type confirmedPage struct {
	Petition petitionView
}

// confirm follows the link from the confirmation email.
func (p *Pages) confirm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if token == "" {
		p.renderError(w, r, http.StatusBadRequest, "Incomplete link",
			"This confirmation link is incomplete. Open the link from your email again, or copy the whole address into your browser.")
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: token})
	switch status.Code(err) {
	case codes.OK:
		v := viewPetition(resp.GetPetition())
		p.render(w, r, http.StatusOK, "confirmed", "Thank you for signing", confirmedPage{Petition: v})
	case codes.InvalidArgument:
		p.renderError(w, r, http.StatusBadRequest, "Invalid link",
			"This confirmation link is not valid. Open the link from your email again, or copy the whole address into your browser.")
	case codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "Unknown link",
			"This confirmation link is not valid. Check that you opened the whole link from your email.")
	case codes.FailedPrecondition:
		if strings.Contains(status.Convert(err).Message(), "expired") {
			p.renderError(w, r, http.StatusBadRequest, "Expired link",
				"This confirmation link has expired. Sign the petition again to receive a new one.")
			return
		}
		p.renderError(w, r, http.StatusConflict, "This petition is closed",
			"This petition no longer takes signatures, so your signature cannot be confirmed.")
	default:
		p.unavailable(w, r, "ConfirmSignature", err)
	}
}
