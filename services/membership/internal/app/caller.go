package app

import (
	"context"
	"errors"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// Applicant is who history records for an anonymous caller (the applicant,
// proven by the applicant token).
const Applicant = "applicant"

// by is who a change is recorded as: the token's subject.
func by(ctx context.Context) string {
	if c, ok := auth.FromContext(ctx); ok && c.Subject != "" {
		return c.Subject
	}
	return Applicant
}

// isCoordinator reports whether the caller holds a coordinator's token.
func isCoordinator(ctx context.Context) bool {
	c, ok := auth.FromContext(ctx)
	return ok && c.Role == optionsv1.Role_ROLE_COORDINATOR
}

// mayActFor allows coordinators, and representatives of memberID only.
// (The interceptor already refused other roles for representative methods.)
// A representative's token is confirmed against the register: its subject
// must still be a current representative of that member, so someone
// removed loses access at once, whatever token they still hold.
func (a *App) mayActFor(ctx context.Context, memberID string) error {
	c, ok := auth.FromContext(ctx)
	if !ok {
		return domain.ErrNotYourMember
	}
	switch c.Role {
	case optionsv1.Role_ROLE_COORDINATOR:
		return nil
	case optionsv1.Role_ROLE_REPRESENTATIVE:
		if c.MemberID == "" || c.MemberID != memberID {
			return domain.ErrNotYourMember
		}
		if _, err := a.Me(ctx); errors.Is(err, domain.ErrRepresentativeNotFound) {
			return domain.ErrNotYourMember
		} else if err != nil {
			return err
		}
		return nil
	}
	return domain.ErrNotYourMember
}
