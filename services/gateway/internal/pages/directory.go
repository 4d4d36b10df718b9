package pages

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// The public member directory (/members) and its open-data form
// (/open-data/members.csv). Both show only the register's public facts:
// the Member message holds no personal data, and neither representatives
// nor applications are asked for.

// maxDirectory bounds how many entries one directory request gathers.
const maxDirectory = 5000

var principleKeys = map[membershipv1.Principle]string{
	membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS: "principle.universal_access",
	membershipv1.Principle_PRINCIPLE_PRIVACY:          "principle.privacy",
	membershipv1.Principle_PRINCIPLE_TRANSPARENCY:     "principle.transparency",
	membershipv1.Principle_PRINCIPLE_PARTICIPATION:    "principle.participation",
	membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS:   "principle.open_standards",
}

// principleList is the five principles in the declaration's order.
func principleList(loc *i18n.Locale) []string {
	out := make([]string, 0, len(principleKeys))
	for pr := membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS; pr <= membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS; pr++ {
		out = append(out, loc.T(principleKeys[pr]))
	}
	return out
}

var principleCodes = map[membershipv1.Principle]string{
	membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS: "universal_access",
	membershipv1.Principle_PRINCIPLE_PRIVACY:          "privacy",
	membershipv1.Principle_PRINCIPLE_TRANSPARENCY:     "transparency",
	membershipv1.Principle_PRINCIPLE_PARTICIPATION:    "participation",
	membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS:   "open_standards",
}

var kindCodes = map[membershipv1.MemberKind]string{
	membershipv1.MemberKind_MEMBER_KIND_CITY:         "city",
	membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK: "city_network",
	membershipv1.MemberKind_MEMBER_KIND_PARTNER:      "partner",
}

var kindKeys = map[membershipv1.MemberKind]string{
	membershipv1.MemberKind_MEMBER_KIND_CITY:         "members.kind.city",
	membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK: "members.kind.city_network",
	membershipv1.MemberKind_MEMBER_KIND_PARTNER:      "members.kind.partner",
}

var statusCodes = map[membershipv1.MemberStatus]string{
	membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT: "applicant",
	membershipv1.MemberStatus_MEMBER_STATUS_MEMBER:    "member",
	membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED: "suspended",
	membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN: "withdrawn",
}

// directoryFilter reads the country, kind, region and principle filters of a directory URL;
// false when a value is not valid.
func directoryFilter(r *http.Request) (*membershipv1.ListMembersRequest, bool) {
	q := r.URL.Query()
	req := &membershipv1.ListMembersRequest{PageSize: 500}
	if c := strings.ToUpper(strings.TrimSpace(q.Get("country"))); c != "" {
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return nil, false
		}
		req.Country = c
	}
	if k := strings.TrimSpace(q.Get("kind")); k != "" {
		found := false
		for kind, code := range kindCodes {
			if code == k {
				req.Kind, found = kind, true
			}
		}
		if !found {
			return nil, false
		}
	}
	if region := strings.TrimSpace(q.Get("region")); region != "" {
		if len(region) > 100 {
			return nil, false
		}
		req.Region = region
	}
	if code := strings.TrimSpace(q.Get("principle")); code != "" {
		found := false
		for pr, c := range principleCodes {
			if c == code {
				req.Principle, found = pr, true
			}
		}
		if !found {
			return nil, false
		}
	}
	return req, true
}

// allMembers pages through the directory.
func (p *Pages) allMembers(ctx context.Context, req *membershipv1.ListMembersRequest) ([]*membershipv1.Member, error) {
	var out []*membershipv1.Member
	for len(out) < maxDirectory {
		resp, err := p.members.ListMembers(ctx, req)
		if err != nil {
			return nil, err
		}
		out = append(out, resp.GetMembers()...)
		if resp.GetNextPageToken() == "" {
			break
		}
		req.PageToken = resp.GetNextPageToken()
	}
	return out, nil
}

type directoryEntry struct {
	Name       string
	Kind       string
	Country    string // localized name
	Region     string
	Joined     time.Time
	Principles []string
}

type directoryPage struct {
	Members []directoryEntry
	Country string
	Kind    string
	Kinds   []directoryOption
	Invalid bool
}

type directoryOption struct{ Value, Label string }

// membersPage is the public directory of member cities, networks and
// partners, with optional filters by country and kind.
func (p *Pages) membersPage(w http.ResponseWriter, r *http.Request) {
	loc := localeOf(r)
	title := loc.T("members.title")
	data := directoryPage{Kinds: []directoryOption{
		{"", loc.T("members.kinds.all")}, {"city", loc.T("members.kinds.city")},
		{"city_network", loc.T("members.kinds.city_network")}, {"partner", loc.T("members.kinds.partner")},
	}}
	req, ok := directoryFilter(r)
	if !ok {
		data.Invalid = true
		p.render(w, r, http.StatusBadRequest, "members", title, data)
		return
	}
	data.Country, data.Kind = req.GetCountry(), kindCodes[req.GetKind()]
	req.Status = membershipv1.MemberStatus_MEMBER_STATUS_MEMBER
	ctx, cancel := outgoing(r)
	defer cancel()
	list, err := p.allMembers(ctx, req)
	if err != nil {
		p.unavailable(w, r, "ListMembers", err)
		return
	}
	for _, m := range list {
		e := directoryEntry{Name: m.GetName(), Region: m.GetRegion()}
		if key, ok := kindKeys[m.GetKind()]; ok {
			e.Kind = loc.T(key)
		}
		if c := m.GetCountry(); c != "" {
			e.Country = loc.Country(c)
		}
		if ts := m.GetJoinedAt(); ts != nil && ts.IsValid() {
			e.Joined = ts.AsTime().UTC()
		}
		for _, pr := range m.GetPrinciples() {
			if key, ok := principleKeys[pr]; ok {
				e.Principles = append(e.Principles, loc.T(key))
			}
		}
		data.Members = append(data.Members, e)
	}
	p.render(w, r, http.StatusOK, "members", title, data)
}

// membersCSV serves the register as CSV open data (RFC 4180, UTF-8).
func (p *Pages) membersCSV(w http.ResponseWriter, r *http.Request) {
	req, ok := directoryFilter(r)
	if !ok {
		http.Error(w, "country must be two letters (ISO 3166-1), kind one of city, city_network, partner, and principle one of universal_access, privacy, transparency, participation, open_standards", http.StatusBadRequest)
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	list, err := p.allMembers(ctx, req)
	if err != nil {
		code := http.StatusInternalServerError
		if c := status.Code(err); c == codes.Unavailable || c == codes.DeadlineExceeded {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, "the member register cannot be read right now", code)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
	h.Set("Content-Disposition", `attachment; filename="members.csv"`)
	h.Set("Cache-Control", "public, max-age=300")
	if r.Method == http.MethodHead {
		return
	}
	if err := WriteMembersCSV(w, list); err != nil {
		p.log.Warn("write members.csv")
	}
}

// MembersCSVHeader is the header row of members.csv.
var MembersCSVHeader = []string{"id", "name", "kind", "country", "region", "population", "status", "joined_at", "principles", "commitment"}

// WriteMembersCSV writes members as CSV: public facts only (the Member
// message holds no personal data; this function writes none of anything
// else). Principles are separated by ';'. Cells that a spreadsheet would
// read as a formula are prefixed with an apostrophe.
func WriteMembersCSV(w io.Writer, members []*membershipv1.Member) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MembersCSVHeader); err != nil {
		return err
	}
	for _, m := range members {
		joined := ""
		if ts := m.GetJoinedAt(); ts != nil && ts.IsValid() {
			joined = ts.AsTime().UTC().Format("2006-01-02")
		}
		var prs []string
		for _, pr := range m.GetPrinciples() {
			prs = append(prs, principleCodes[pr])
		}
		pop := ""
		if m.GetPopulation() > 0 {
			pop = strconv.Itoa(int(m.GetPopulation()))
		}
		row := []string{m.GetId(), m.GetName(), kindCodes[m.GetKind()], m.GetCountry(), m.GetRegion(), pop,
			statusCodes[m.GetStatus()], joined, strings.Join(prs, ";"), m.GetCommitment()}
		for i, cell := range row {
			row[i] = defuse(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a spreadsheet from running a cell as a formula (OWASP's
// advice on CSV injection).
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
