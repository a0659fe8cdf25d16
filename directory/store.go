package directory

import (
	"context"
	"time"
)

// Store is what a storage engine implements. Every method is one transaction;
// a method that takes an Event writes it in the same transaction as the change
// (filling in ids the insert assigned), so no change is ever published without
// being stored or stored without being published. Errors are *Error values:
// driver errors are translated at the engine's edge.
type Store interface {
	EnterpriseStore
	ListingStore
	AnnouncementStore
	UserStore
	EventStore
	// Close releases the database.
	Close() error
}

// EnterpriseStore stores enterprises.
type EnterpriseStore interface {
	// CreateEnterprise inserts e, sets e.ID and records ev.
	// ECONFLICT when (origin, handle) is taken.
	CreateEnterprise(ctx context.Context, e *Enterprise, ev Event) error
	// UpdateEnterprise overwrites every stored field of the enterprise e.ID
	// (but CreatedAt, Handle and Origin) and records ev. ENOTFOUND.
	UpdateEnterprise(ctx context.Context, e *Enterprise, ev Event) error
	// DeleteEnterprise removes the enterprise with its listings and
	// announcements, and records ev. Users of the enterprise lose it. ENOTFOUND.
	DeleteEnterprise(ctx context.Context, id int64, ev Event) error
	// FindEnterprise returns the enterprise with this handle from this origin
	// ("" for local). ENOTFOUND.
	FindEnterprise(ctx context.Context, origin, handle string) (*Enterprise, error)
	// SearchEnterprises runs a validated query.
	SearchEnterprises(ctx context.Context, q EnterpriseQuery) (*EnterprisePage, error)
	// ImportEnterprises inserts creates and overwrites updates (matched by ID)
	// in one transaction, recording a created or updated event for each with
	// time at. Nothing is written if any row fails. ECONFLICT.
	ImportEnterprises(ctx context.Context, creates, updates []*Enterprise, at time.Time) error
	// AllEnterprises calls fn for every local enterprise, ordered by handle
	// (export). It stops at fn's first error and returns it.
	AllEnterprises(ctx context.Context, fn func(*Enterprise) error) error
}

// ListingStore stores needs and offers.
type ListingStore interface {
	// CreateListing inserts l (l.EnterpriseID must exist: else ENOTFOUND),
	// sets l.ID and records ev.
	CreateListing(ctx context.Context, l *Listing, ev Event) error
	// UpdateListing overwrites the stored fields of listing l.ID (but its
	// enterprise, type, origin and CreatedAt) and records ev. ENOTFOUND.
	UpdateListing(ctx context.Context, l *Listing, ev Event) error
	// DeleteListing removes listing id and records ev. ENOTFOUND.
	DeleteListing(ctx context.Context, id int64, ev Event) error
	// FindListing returns listing id with its enterprise's handle and name. ENOTFOUND.
	FindListing(ctx context.Context, id int64) (*Listing, error)
	// SearchListings runs a validated query.
	SearchListings(ctx context.Context, q ListingQuery) (*ListingPage, error)
}

// AnnouncementStore stores announcements.
type AnnouncementStore interface {
	// CreateAnnouncement inserts a, sets a.ID and records ev. ENOTFOUND when
	// the enterprise does not exist.
	CreateAnnouncement(ctx context.Context, a *Announcement, ev Event) error
	// ListAnnouncements returns a page of an enterprise's announcements,
	// newest first, and their total.
	ListAnnouncements(ctx context.Context, enterpriseID int64, p Page) ([]*Announcement, int, error)
}

// UserStore stores accounts and API tokens.
type UserStore interface {
	// CreateUser inserts u and sets u.ID. ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByEmail returns the user with this (lowercase) email. ENOTFOUND.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// CreateToken inserts t and sets t.ID. ENOTFOUND when the user is gone.
	CreateToken(ctx context.Context, t *Token) error
	// UserByTokenHash returns the user owning the token with this hash and
	// marks the token used at now. ENOTFOUND.
	UserByTokenHash(ctx context.Context, hash []byte, now time.Time) (*User, error)
}

// EventStore reads the recorded domain events.
type EventStore interface {
	// EventsAfter returns up to limit events with ID > after, oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
}
