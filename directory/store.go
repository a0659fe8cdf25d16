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
	SessionStore
	TwoStepStore
	InvitationStore
	PasswordResetStore
	ContactStore
	SettingsStore
	ImageStore
	FacetStore
	EventStore
	ActorKeyStore
	FederationStore
	PartnerStore
	MatchStore
	ExchangeStore
	PartnerAnnouncementStore
	AgreementStore
	SavedSearchStore
	SearchWordStore
	// Close releases the database.
	Close() error
}

// SearchWordStore reads the vocabulary of the text indexes: every folded
// word (without stems) that enterprises and listings were indexed with.
type SearchWordStore interface {
	// SearchWords returns up to limit distinct words of the vocabulary that
	// begin with the character head and have from minSize to maxSize
	// characters, in no particular order.
	SearchWords(ctx context.Context, head string, minSize, maxSize, limit int) ([]string, error)
}

// EnterpriseStore stores enterprises.
type EnterpriseStore interface {
	// CreateEnterprise inserts e, sets e.ID and records ev.
	// ECONFLICT when (origin, handle) is taken.
	CreateEnterprise(ctx context.Context, e *Enterprise, ev Event) error
	// UpdateEnterprise overwrites every stored field of the enterprise e.ID
	// (but CreatedAt, Handle and Origin) and records ev. When the logo
	// changes away from a stored image (see StoredImageID), that image is
	// deleted. ENOTFOUND.
	UpdateEnterprise(ctx context.Context, e *Enterprise, ev Event) error
	// SetEnterpriseLogo stores img (when not nil), then updates the
	// enterprise e.ID as UpdateEnterprise does (so the stored image the old
	// logo named is deleted) and records ev. ENOTFOUND, ECONFLICT (image id).
	SetEnterpriseLogo(ctx context.Context, e *Enterprise, img *Image, ev Event) error
	// DeleteEnterprise removes the enterprise with its listings,
	// announcements and stored logo, and records ev. Users of the
	// enterprise lose it. ENOTFOUND.
	DeleteEnterprise(ctx context.Context, id int64, ev Event) error
	// FindEnterprise returns the enterprise with this handle from this origin
	// ("" for local). ENOTFOUND.
	FindEnterprise(ctx context.Context, origin, handle string) (*Enterprise, error)
	// SearchEnterprises runs a validated query.
	SearchEnterprises(ctx context.Context, q EnterpriseQuery) (*EnterprisePage, error)
	// EnterprisePoints runs a validated query for the enterprises with
	// coordinates inside a validated area, newest (by id) first, whatever
	// the query's page and sort.
	EnterprisePoints(ctx context.Context, q EnterpriseQuery, a Area) (*EnterprisePoints, error)
	// ImportEnterprises inserts creates and overwrites updates (matched by ID)
	// in one transaction, recording a created or updated event for each with
	// time at. Nothing is written if any row fails. ECONFLICT.
	ImportEnterprises(ctx context.Context, creates, updates []*Enterprise, at time.Time) error
	// EnterprisesByWebsite returns the enterprises of every origin whose
	// website is exactly one of websites (none for an empty list), by id:
	// how the directory finds the same organisation listed twice.
	EnterprisesByWebsite(ctx context.Context, websites []string) ([]*Enterprise, error)
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
	// ListingPoints is EnterprisePoints for listings.
	ListingPoints(ctx context.Context, q ListingQuery, a Area) (*ListingPoints, error)
}

// AnnouncementStore stores announcements. Announcements are read with
// their enterprise's handle and name.
type AnnouncementStore interface {
	// CreateAnnouncement inserts a, sets a.ID and records ev. ENOTFOUND when
	// the enterprise does not exist.
	CreateAnnouncement(ctx context.Context, a *Announcement, ev Event) error
	// ListAnnouncements returns a page of an enterprise's announcements
	// (every enterprise's when enterpriseID is 0), newest first, and their
	// total.
	ListAnnouncements(ctx context.Context, enterpriseID int64, p Page) ([]*Announcement, int, error)
	// FindAnnouncement returns announcement id. ENOTFOUND.
	FindAnnouncement(ctx context.Context, id int64) (*Announcement, error)
	// UpdateAnnouncement overwrites the content, content HTML and UpdatedAt
	// of announcement a.ID and records ev. ENOTFOUND.
	UpdateAnnouncement(ctx context.Context, a *Announcement, ev Event) error
	// DeleteAnnouncement removes announcement id and records ev. ENOTFOUND.
	DeleteAnnouncement(ctx context.Context, id int64, ev Event) error
}

// UserStore stores accounts and API tokens.
type UserStore interface {
	// CreateUser inserts u and sets u.ID. ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByEmail returns the user with this (lowercase) email. ENOTFOUND.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// ListUsers returns every user, ordered by email.
	ListUsers(ctx context.Context) ([]*User, error)
	// DeleteUser removes user id with their sessions and API tokens. ENOTFOUND.
	DeleteUser(ctx context.Context, id int64) error
	// CreateToken inserts t and sets t.ID. ENOTFOUND when the user is gone.
	CreateToken(ctx context.Context, t *Token) error
	// UserByTokenHash returns the user owning the token with this hash and
	// marks the token used at now. ENOTFOUND.
	UserByTokenHash(ctx context.Context, hash []byte, now time.Time) (*User, error)
}

// SessionStore stores the sessions of signed-in browsers.
type SessionStore interface {
	// CreateSession inserts s and sets s.ID. ENOTFOUND when the user is
	// gone, ECONFLICT when the hash is already stored.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with this hash, expired or not, and
	// its user. ENOTFOUND.
	FindSession(ctx context.Context, hash []byte) (*Session, *User, error)
	// ExtendSession marks session id used at seenAt and sets its expiry.
	// ENOTFOUND.
	ExtendSession(ctx context.Context, id int64, seenAt, expiresAt time.Time) error
	// DeleteSession removes the session with this hash, if there is one.
	DeleteSession(ctx context.Context, hash []byte) error
	// ListSessions returns the sessions of user userID that expire after
	// now, the most recently used first.
	ListSessions(ctx context.Context, userID int64, now time.Time) ([]*Session, error)
	// DeleteUserSession removes session id of user userID. ENOTFOUND when
	// that user has no such session.
	DeleteUserSession(ctx context.Context, userID, id int64) error
	// DeleteUserSessions removes every session of user userID but the one
	// with hash keep (nil keeps none) and returns how many it removed.
	DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error)
	// DeleteExpiredSessions removes every session that expired at or
	// before now and returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// InvitationStore stores invitations to create an account. Only a hash of
// an invitation's secret is stored.
type InvitationStore interface {
	// CreateInvitation inserts inv with the hash of its secret and sets
	// inv.ID, replacing any invitation for the same email. ECONFLICT when
	// a user has the email, ENOTFOUND when the enterprise is gone.
	CreateInvitation(ctx context.Context, inv *Invitation, hash []byte) error
	// ListInvitations returns the invitations that expire after now,
	// newest first.
	ListInvitations(ctx context.Context, now time.Time) ([]*Invitation, error)
	// FindInvitation returns the invitation with this hash if it expires
	// after now. ENOTFOUND.
	FindInvitation(ctx context.Context, hash []byte, now time.Time) (*Invitation, error)
	// DeleteInvitation removes invitation id. ENOTFOUND.
	DeleteInvitation(ctx context.Context, id int64) error
	// AcceptInvitation consumes the invitation with this hash (which must
	// expire after now: else ENOTFOUND) and creates u, setting u.ID, in one
	// transaction. ECONFLICT when the email is taken.
	AcceptInvitation(ctx context.Context, hash []byte, u *User, now time.Time) error
}

// TwoStepStore stores the users' two-step sign-in.
type TwoStepStore interface {
	// TwoStep returns the two-step sign-in of user userID. ENOTFOUND when
	// it is off.
	TwoStep(ctx context.Context, userID int64) (*TwoStep, error)
	// EnableTwoStep stores ts. ECONFLICT when it is on already, ENOTFOUND
	// when the user does not exist.
	EnableTwoStep(ctx context.Context, ts *TwoStep) error
	// UseTwoStepCode records that the code of step was used. ECONFLICT
	// when a code of that step or a later one was used already, ENOTFOUND
	// when two-step sign-in is off.
	UseTwoStepCode(ctx context.Context, userID, step int64) error
	// UseRecoveryCode removes the recovery code with this hash. ECONFLICT
	// when it was used already, ENOTFOUND when two-step sign-in is off.
	UseRecoveryCode(ctx context.Context, userID int64, hash string) error
	// DisableTwoStep turns two-step sign-in off and, with endSessions, ends
	// every session of the user in the same transaction, returning how many
	// it ended. ENOTFOUND when it is off (and then no session ends).
	DisableTwoStep(ctx context.Context, userID int64, endSessions bool) (int, error)
	// TwoStepUsers returns the ids of the users with two-step sign-in on,
	// in order.
	TwoStepUsers(ctx context.Context) ([]int64, error)
}

// PasswordResetStore stores the links with which a person chooses a new
// password. Only a hash of a link's secret is stored.
type PasswordResetStore interface {
	// CreatePasswordReset inserts pr with the hash of its secret and sets
	// pr.ID, replacing any link of the same user. ENOTFOUND when the user
	// is gone.
	CreatePasswordReset(ctx context.Context, pr *PasswordReset, hash []byte) error
	// FindPasswordReset returns the link with this hash, with its user's
	// email, if it expires after now. ENOTFOUND.
	FindPasswordReset(ctx context.Context, hash []byte, now time.Time) (*PasswordReset, error)
	// UsePasswordReset consumes the link with this hash (which must expire
	// after now: else ENOTFOUND), sets its user's password hash and
	// removes all that user's sessions, in one transaction. It returns the
	// user's id.
	UsePasswordReset(ctx context.Context, hash []byte, passwordHash string, now time.Time) (int64, error)
}

// SettingsStore stores the instance settings: one row.
type SettingsStore interface {
	// Settings returns the saved settings. ENOTFOUND when never saved.
	Settings(ctx context.Context) (*Settings, error)
	// SaveSettings overwrites the saved settings with s.
	SaveSettings(ctx context.Context, s *Settings) error
}

// ImageStore reads stored images (see SetEnterpriseLogo for writing them).
type ImageStore interface {
	// FindImage returns image id. ENOTFOUND.
	FindImage(ctx context.Context, id string) (*Image, error)
}

// FacetStore counts what the directory and home pages show beside results.
type FacetStore interface {
	// EnterpriseFacets counts the matches of a validated query by kind and
	// by sector (the 20 most common), each facet ignoring its own filter.
	EnterpriseFacets(ctx context.Context, q EnterpriseQuery) (*EnterpriseFacets, error)
	// ListingFacets counts the matches of a validated query by type and by
	// category, each facet ignoring its own filter.
	ListingFacets(ctx context.Context, q ListingQuery) (*ListingFacets, error)
	// Counts counts every enterprise, open needs and offers that have not
	// expired on today (YYYY-MM-DD), and announcements.
	Counts(ctx context.Context, today string) (*Counts, error)
}

// EventStore reads the recorded domain events.
type EventStore interface {
	// EventsAfter returns up to limit events with ID > after, oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
}
