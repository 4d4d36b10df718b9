package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"go.uber.org/zap"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// Page size of the applications list.
const maxApplications = 500

// CreateApplication stores a draft application and returns it with the
// applicant token (shown once; only its hash is kept).
func (a *App) CreateApplication(ctx context.Context, ap domain.Application) (domain.Application, string, error) {
	ap.Normalize()
	if err := ap.Validate(); err != nil {
		return domain.Application{}, "", err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Application{}, "", fmt.Errorf("application id: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return domain.Application{}, "", fmt.Errorf("applicant token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := a.now()
	ap.ID, ap.TokenHash, ap.CreatedAt, ap.Status = id.String(), hashToken(token), now, domain.ApplicationDraft
	ap.History = []domain.Transition{{To: domain.ApplicationDraft, By: by(ctx), At: now}}
	if err := a.store.InsertApplication(ctx, ap); err != nil {
		return domain.Application{}, "", err
	}
	a.log.Debug("application drafted", zap.String("application_id", ap.ID))
	return ap, token, nil
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// tokenMatches reports whether token is the one whose hash was kept, in
// constant time.
func tokenMatches(token, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(hash)) == 1
}

// Application returns one application.
func (a *App) Application(ctx context.Context, id string) (domain.Application, error) {
	return a.store.Application(ctx, id)
}

// Applications lists applications newest first.
func (a *App) Applications(ctx context.Context, status domain.ApplicationStatus, pageSize int) ([]domain.Application, error) {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	return a.store.Applications(ctx, status, int64(min(pageSize, maxApplications)))
}

func notice(ap domain.Application) *membershipv1.ApplicationNotice {
	return &membershipv1.ApplicationNotice{
		ApplicationId: ap.ID, City: ap.City, Country: ap.Country,
		ContactName: ap.Contact.Name, ContactEmail: ap.Contact.Email, Language: ap.Language,
	}
}

// move runs one review step under the application's lock: load, check
// the transition, let prepare add effects and events, write conditionally.
func (a *App) move(ctx context.Context, id string, to domain.ApplicationStatus, reason string,
	prepare func(ap *domain.Application) ([]broker.Event, error)) (domain.Application, error) {
	unlock, err := a.store.LockApplication(ctx, id)
	if err != nil {
		return domain.Application{}, err
	}
	defer unlock()
	ap, err := a.store.Application(ctx, id)
	if err != nil {
		return domain.Application{}, err
	}
	if err := ap.CanMove(to); err != nil {
		return domain.Application{}, err
	}
	var events []broker.Event
	if prepare != nil {
		if events, err = prepare(&ap); err != nil {
			return domain.Application{}, err
		}
	}
	t, err := ap.Move(to, by(ctx), a.now(), reason)
	if err != nil {
		return domain.Application{}, err
	}
	if err := a.store.MoveApplication(ctx, ap, t, events...); err != nil {
		return domain.Application{}, err
	}
	if len(events) > 0 {
		a.relay.Kick()
	}
	a.log.Info("application moved", zap.String("application_id", id), zap.String("status", string(to)))
	return ap, nil
}

// SubmitApplication submits a draft; token is the applicant token.
func (a *App) SubmitApplication(ctx context.Context, id, token string) (domain.Application, error) {
	return a.move(ctx, id, domain.ApplicationSubmitted, "", func(ap *domain.Application) ([]broker.Event, error) {
		if !tokenMatches(token, ap.TokenHash) {
			return nil, domain.ErrApplicantToken
		}
		ev, err := broker.NewEvent(Source, &membershipv1.ApplicationSubmitted{Application: notice(*ap)})
		return []broker.Event{ev}, err
	})
}

// StartReview takes a submitted application under review.
func (a *App) StartReview(ctx context.Context, id string) (domain.Application, error) {
	return a.move(ctx, id, domain.ApplicationUnderReview, "", nil)
}

// RejectApplication rejects an application under review with a reason.
func (a *App) RejectApplication(ctx context.Context, id, reason string) (domain.Application, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.Application{}, &domain.FieldError{Field: "reason", Reason: "reason.blank", Description: "a reason for the applicant is required"}
	}
	return a.move(ctx, id, domain.ApplicationRejected, reason, func(ap *domain.Application) ([]broker.Event, error) {
		ev, err := broker.NewEvent(Source, &membershipv1.ApplicationRejected{Application: notice(*ap), Reason: reason})
		return []broker.Event{ev}, err
	})
}

// ApproveApplication approves an application under review. The city
// becomes a member — a new entry, or the existing one re-admitted — and
// CityJoined rides in the member's document; then the application records
// the approval with ApplicationApproved in its own document. Two documents,
// so the first write is idempotent: a retry after a crash between them
// finds the member already admitted for this application and only
// completes the second. The application's lock is held throughout, so a
// concurrent reject cannot slip in between.
func (a *App) ApproveApplication(ctx context.Context, id string) (domain.Application, domain.Member, error) {
	var member domain.Member
	ap, err := a.move(ctx, id, domain.ApplicationApproved, "", func(ap *domain.Application) ([]broker.Event, error) {
		m, err := a.admit(ctx, *ap)
		if err != nil {
			return nil, err
		}
		member, ap.MemberID = m, m.ID
		ev, err := broker.NewEvent(Source, &membershipv1.ApplicationApproved{Application: notice(*ap), MemberId: m.ID})
		return []broker.Event{ev}, err
	})
	if err != nil {
		return domain.Application{}, domain.Member{}, err
	}
	return ap, member, nil
}

var commitmentLabel = map[domain.CommitmentKind]string{
	domain.CommitmentCouncilResolution: "Council resolution",
	domain.CommitmentMayorsLetter:      "Mayor's letter",
	domain.CommitmentOther:             "Political commitment",
}

func (a *App) admit(ctx context.Context, ap domain.Application) (domain.Member, error) {
	now := a.now()
	m := domain.Member{
		Name: ap.City, NameKey: ap.CityKey, Kind: ap.Kind, Country: ap.Country, Region: ap.Region,
		Population: ap.Population, Status: domain.StatusMember, JoinedAt: now,
		Commitment: fmt.Sprintf("%s of %s: %s", commitmentLabel[ap.Commitment.Kind], ap.Commitment.Date.Format("2 January 2006"), ap.Commitment.Reference),
		Principles: ap.PrinciplesServed(), CreatedAt: now,
	}
	existing, err := a.store.CityByName(ctx, ap.CityKey, ap.Country)
	found := err == nil
	switch {
	case errors.Is(err, domain.ErrMemberNotFound):
	case err != nil:
		return domain.Member{}, err
	}
	if found {
		if existing.ApplicationID == ap.ID && existing.Status == domain.StatusMember {
			return existing, nil // admitted by an earlier, interrupted approval
		}
		if existing.Status == domain.StatusMember {
			return domain.Member{}, &domain.TransitionError{Msg: fmt.Sprintf(
				"cannot approve: %s (%s) is already a member; reject this application instead", existing.Name, existing.Country)}
		}
		m.ID, m.Name, m.CreatedAt = existing.ID, existing.Name, existing.CreatedAt
		if m.Region == "" {
			m.Region = existing.Region
		}
	} else {
		mid, err := uuid.NewV7()
		if err != nil {
			return domain.Member{}, fmt.Errorf("member id: %w", err)
		}
		m.ID = mid.String()
	}
	m.ApplicationID = ap.ID
	ev, err := broker.NewEvent(Source, &membershipv1.CityJoined{Member: ToProto(m), ApplicationId: ap.ID})
	if err != nil {
		return domain.Member{}, err
	}
	done, err := a.store.Admit(ctx, m, found, ap.ID, by(ctx), ev)
	if err != nil {
		return domain.Member{}, err
	}
	if done {
		a.relay.Kick()
	}
	return a.store.Member(ctx, m.ID)
}
