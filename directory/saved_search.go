package directory

import (
	"context"
	"strings"
	"time"
)

// A saved search (a "topic") is a search of the directory's open needs and
// offers, saved by an admin (or an editor, when the settings allow it)
// under a handle. Federation makes it a Service actor that announces each
// new listing the search finds; the web shows its page, Atom feed and
// GeoJSON. Its handle shares the namespace of local enterprises: no
// enterprise may take the handle of a saved search, and no saved search
// the handle of an enterprise. A deleted saved search keeps its handle
// (the row stays, marked deleted), so that the handle is never reused by
// an actor its old followers would take for the one they followed.

// SavedSearch is a saved search of listings.
type SavedSearch struct {
	ID         int64       `json:"id"`
	Handle     string      `json:"handle"`
	Name       string      `json:"name"`              // what its followers see, at most 100 characters
	Summary    string      `json:"summary,omitempty"` // plain text, at most 500 characters
	Text       string      `json:"q,omitempty"`       // words, searched as the directory does
	Type       ListingType `json:"type,omitempty"`    // "" for needs and offers
	Categories []Category  `json:"categories,omitempty"`
	Origin     string      `json:"origin,omitempty"` // as ListingQuery.Origin; "" for all
	NearLabel  string      `json:"near,omitempty"`   // the place as it was asked for
	Geo        *Geo        `json:"geo,omitempty"`    // the distance filter, nil for none
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
	DeletedAt  *time.Time  `json:"deleted_at,omitempty"` // set once deleted; the handle stays taken
}

// Limits of a saved search's own fields.
const (
	MaxSavedSearchName    = 100
	MaxSavedSearchSummary = 500
	MaxSavedSearchNear    = 200
)

// SavedSearchActorKey is the ActorKey.Actor (and Follower.Actor) of the
// saved search with handle.
func SavedSearchActorKey(handle string) string { return "topic:" + handle }

// SavedSearchHandleOf returns the handle an actor key names, and whether
// it names a saved search.
func SavedSearchHandleOf(actor string) (string, bool) {
	return strings.CutPrefix(actor, SavedSearchActorKey(""))
}

// Query is the search as the stores run it: open listings, newest first.
func (s *SavedSearch) Query(p Page) ListingQuery {
	q := ListingQuery{Text: s.Text, Type: s.Type, Categories: s.Categories, Origin: s.Origin,
		Status: StatusOpen, Sort: SortNewest, Page: p}
	if s.Geo != nil {
		g := *s.Geo
		q.Geo = &g
	}
	return q
}

// Validate normalises s and checks every field, the search's included. It
// returns an EINVALID *Error listing every broken rule.
func (s *SavedSearch) Validate() error {
	var fe fieldErrors
	s.Handle = strings.TrimSpace(s.Handle)
	if f := ValidateHandle(s.Handle); f != nil {
		fe = append(fe, *f)
	}
	s.Name = cleanLine(s.Name)
	requireText(&fe, "name", s.Name, MaxSavedSearchName)
	s.Summary = cleanLine(s.Summary)
	maxText(&fe, "summary", s.Summary, MaxSavedSearchSummary)
	s.NearLabel = cleanLine(s.NearLabel)
	maxText(&fe, "near", s.NearLabel, MaxSavedSearchNear)
	q := s.Query(Page{})
	if err := q.Validate(); err != nil {
		fe = append(fe, ErrorFields(err)...)
	}
	s.Text, s.Origin = q.Text, q.Origin
	if s.Origin == OriginAll {
		s.Origin = ""
	}
	return fe.err("saved search")
}

// CategoryList writes categories as one comma-separated value.
func CategoryList(cs []Category) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// SplitCategoryList reads what CategoryList wrote.
func SplitCategoryList(s string) []Category {
	if s == "" {
		return nil
	}
	var out []Category
	for _, p := range strings.Split(s, ",") {
		out = append(out, Category(p))
	}
	return out
}

// SavedSearchStore stores saved searches.
type SavedSearchStore interface {
	// CreateSavedSearch inserts s and sets s.ID. ECONFLICT when the handle
	// is taken by another saved search (a deleted one too) or by a local
	// enterprise.
	CreateSavedSearch(ctx context.Context, s *SavedSearch) error
	// UpdateSavedSearch overwrites every field of the saved search s.ID but
	// its handle and CreatedAt, and records ev. ENOTFOUND (a deleted one
	// too).
	UpdateSavedSearch(ctx context.Context, s *SavedSearch, ev Event) error
	// DeleteSavedSearch marks the saved search deleted at ev.At and records
	// ev. ENOTFOUND when there is none, or it is deleted already.
	DeleteSavedSearch(ctx context.Context, handle string, ev Event) error
	// FindSavedSearch returns the saved search with handle, a deleted one
	// too (with DeletedAt set). ENOTFOUND.
	FindSavedSearch(ctx context.Context, handle string) (*SavedSearch, error)
	// ListSavedSearches returns the saved searches not deleted, by handle.
	ListSavedSearches(ctx context.Context) ([]*SavedSearch, error)
}
