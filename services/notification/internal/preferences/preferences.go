// Package preferences is the recipient's control over optional email: the
// unsubscribe and preferences links every email carries (tokens bound to
// the address and category, see Tokens), the suppression list checked
// before every send, and the operations the links open (see the
// NotificationService RPCs GetEmailPreferences, UpdateEmailPreferences
// and Unsubscribe).
package preferences

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Errors of the operations (besides the token's).
var (
	// ErrNotOptional: the category is transactional or unknown.
	ErrNotOptional = errors.New("only an optional email category can be turned off or on")
	// ErrNoCategory: a preferences-only token has nothing to unsubscribe from.
	ErrNoCategory = errors.New("this link is for email preferences; choose what to turn off there")
)

// Service answers the links and checks the suppression list.
type Service struct {
	store  *store.Store
	tokens *Tokens
	// baseURL is the public address of the gateway that serves the pages.
	baseURL string
}

// New returns the service over st; links point at baseURL.
func New(st *store.Store, tokens *Tokens, baseURL string) *Service {
	return &Service{store: st, tokens: tokens, baseURL: strings.TrimRight(baseURL, "/")}
}

// Links are an email's footer links.
type Links struct {
	// Unsubscribe is the one-click link (RFC 8058) of an optional email.
	Unsubscribe string
	// Preferences opens the recipient's preferences page.
	Preferences string
}

// LinksFor returns the links for an email of category cat to address.
func (s *Service) LinksFor(address string, cat templates.Category) Links {
	hash := store.AddressHash(address)
	l := Links{Preferences: s.baseURL + "/preferences/" + s.tokens.Make(hash, "")}
	if !cat.Essential() {
		l.Unsubscribe = s.baseURL + "/unsubscribe/" + s.tokens.Make(hash, string(cat))
	}
	return l
}

// Suppressed reports whether an email of category cat must not go to
// address. Transactional email is never suppressed.
func (s *Service) Suppressed(ctx context.Context, address string, cat templates.Category) (bool, error) {
	if cat.Essential() {
		return false, nil
	}
	return s.store.Suppressed(ctx, store.AddressHash(address), string(cat))
}

// Category is one optional category and whether the address gets it.
type Category struct {
	Category   templates.Category
	Text       templates.CategoryText
	Subscribed bool
}

// Preferences is what an address receives.
type Preferences struct {
	Categories    []Category
	TokenCategory string
	Language      string
}

// Get returns the preferences of the token's address, described in lang.
func (s *Service) Get(ctx context.Context, token, lang string) (Preferences, error) {
	claim, err := s.tokens.Parse(token)
	if err != nil {
		return Preferences{}, err
	}
	return s.preferences(ctx, claim, lang)
}

// Set opts the token's address out of (subscribed false) or into one
// optional category.
func (s *Service) Set(ctx context.Context, token, category string, subscribed bool, lang string) (Preferences, error) {
	claim, err := s.tokens.Parse(token)
	if err != nil {
		return Preferences{}, err
	}
	cat := templates.Category(category)
	if !slices.Contains(templates.Optional(), cat) {
		return Preferences{}, ErrNotOptional
	}
	if subscribed {
		err = s.store.Unsuppress(ctx, claim.AddressHash, category)
	} else {
		err = s.store.Suppress(ctx, claim.AddressHash, category, "preferences page")
	}
	if err != nil {
		return Preferences{}, err
	}
	return s.preferences(ctx, claim, lang)
}

// Unsubscribe opts the token's address out of the token's category.
func (s *Service) Unsubscribe(ctx context.Context, token, lang string) (Preferences, error) {
	claim, err := s.tokens.Parse(token)
	if err != nil {
		return Preferences{}, err
	}
	if claim.Category == "" {
		return Preferences{}, ErrNoCategory
	}
	if !slices.Contains(templates.Optional(), templates.Category(claim.Category)) {
		return Preferences{}, ErrNotOptional // a category retired since the email went
	}
	if err := s.store.Suppress(ctx, claim.AddressHash, claim.Category, "one-click unsubscribe"); err != nil {
		return Preferences{}, err
	}
	return s.preferences(ctx, claim, lang)
}

func (s *Service) preferences(ctx context.Context, claim Claim, lang string) (Preferences, error) {
	off, err := s.store.Suppressions(ctx, claim.AddressHash)
	if err != nil {
		return Preferences{}, err
	}
	lang = templates.Language(lang)
	p := Preferences{TokenCategory: claim.Category, Language: lang}
	for _, c := range templates.Optional() {
		p.Categories = append(p.Categories, Category{
			Category: c, Text: templates.DescribeCategory(c, lang), Subscribed: !slices.Contains(off, string(c)),
		})
	}
	return p, nil
}
