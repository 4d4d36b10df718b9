package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func (h *harness) publicSigners(ctx context.Context, t *testing.T, petitionID string) []string {
	t.Helper()
	resp, err := h.anonymous.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: petitionID, PageSize: 100})
	if err != nil {
		t.Fatalf("list public signers: %v", err)
	}
	raw, err := protojson.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "@") {
		t.Fatalf("public signers carry an address: %s", raw)
	}
	var names []string
	for _, s := range resp.GetSigners() {
		if s.GetConfirmedAt() == nil {
			t.Fatalf("signer without a confirmation time: %v", s)
		}
		names = append(names, s.GetName())
	}
	slices.Sort(names)
	return names
}

// Only confirmed signers who chose to be shown are listed; withdrawing or
// erasing a signature takes its name off the list.
func TestPublicSignersShowOnlyConsentingConfirmedSigners(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	p := h.createPetition(ctx, t, ptReq("Évora"))
	signers := []struct {
		email, name string
		show        bool
	}{
		{"ana@example.org", "Ana Shown", true},
		{"bo@example.org", "Bo Hidden", false},
		{"cy@example.org", "Cy Shown", true},
		{"di@example.org", "Di Erased", true},
		{"ed@example.org", "Ed Pending", true},
	}
	for _, s := range signers {
		req := signReq(p.GetId(), s.email)
		req.Name, req.ShowName = s.name, s.show
		h.sign(ctx, t, req)
	}
	tokens := map[string]string{}
	for _, r := range h.waitRequested(ctx, t, p.GetId(), len(signers)) {
		tokens[r.GetEmail()] = r.GetConfirmationToken()
	}
	if got := h.publicSigners(ctx, t, p.GetId()); len(got) != 0 {
		t.Fatalf("public signers before any confirmation: %v", got)
	}
	for _, email := range []string{"ana@example.org", "bo@example.org", "cy@example.org", "di@example.org"} {
		if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: tokens[email]}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Ana Shown", "Cy Shown", "Di Erased"}
	testkit.Eventually(t, 10*time.Second, func() (bool, error) {
		return slices.Equal(h.publicSigners(ctx, t, p.GetId()), want), nil
	})

	// Withdrawing takes the name off.
	if _, err := h.anonymous.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: tokens["ana@example.org"]}); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() (bool, error) {
		return slices.Equal(h.publicSigners(ctx, t, p.GetId()), []string{"Cy Shown", "Di Erased"}), nil
	})

	// So does erasing the address.
	if _, err := h.anonymous.RequestErasure(ctx, &petitionv1.RequestErasureRequest{Email: "di@example.org"}); err != nil {
		t.Fatal(err)
	}
	erasure := h.erasureRequested(ctx, t, "di@example.org")
	if _, err := h.anonymous.ConfirmErasure(ctx, &petitionv1.ConfirmErasureRequest{Token: erasure.GetConfirmationToken()}); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() (bool, error) {
		return slices.Equal(h.publicSigners(ctx, t, p.GetId()), []string{"Cy Shown"}), nil
	})
	if n := h.count(ctx, t, p.GetId()); n != 2 {
		t.Fatalf("count %d, want 2 (Bo and Cy)", n)
	}

	// Bounds and visibility: as GetPetition.
	_, err := h.anonymous.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: p.GetId(), PageSize: 101})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.anonymous.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: "not-a-uuid"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.anonymous.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: "0190c7a4-0000-7000-8000-000000000000"})
	testkit.WantCode(t, err, codes.NotFound)
	resp, err := h.anonymous.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: p.GetId(), PageSize: 1})
	if err != nil || len(resp.GetSigners()) != 1 {
		t.Fatalf("page size 1: %v (err %v)", resp, err)
	}
}
