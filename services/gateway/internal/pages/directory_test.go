package pages

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

func TestWriteMembersCSV(t *testing.T) {
	members := []*membershipv1.Member{
		{Id: "0190a3c4-1111-7000-8000-000000000001", Name: "Maceió", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "BR",
			Region: "Alagoas", Population: 950000, Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER,
			JoinedAt:   timestamppb.New(time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)),
			Commitment: "Council resolution, \"digital rights\"",
			Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PRIVACY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}},
		{Id: "0190a3c4-1111-7000-8000-000000000002", Name: "=HYPERLINK(\"http://evil\")", Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER,
			Status: membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN},
	}
	var buf bytes.Buffer
	if err := WriteMembersCSV(&buf, members); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], MembersCSVHeader) {
		t.Fatalf("rows %q", rows)
	}
	want := []string{"0190a3c4-1111-7000-8000-000000000001", "Maceió", "city", "BR", "Alagoas", "950000", "member", "2024-01-01",
		"privacy;open_standards", "Council resolution, \"digital rights\""}
	if !slices.Equal(rows[1], want) {
		t.Errorf("row %q, want %q", rows[1], want)
	}
	if rows[2][1] != "'=HYPERLINK(\"http://evil\")" || rows[2][2] != "partner" || rows[2][5] != "" || rows[2][7] != "" {
		t.Errorf("row %q", rows[2])
	}
	// The header names no personal data.
	for _, col := range MembersCSVHeader {
		for _, personal := range []string{"email", "contact", "representative", "phone"} {
			if strings.Contains(col, personal) {
				t.Errorf("column %q", col)
			}
		}
	}
}
