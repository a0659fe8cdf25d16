package postgres

import (
	"context"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The methods below are not written yet for this engine.

func notYet() error { return directory.Errorf(directory.EINTERNAL, "not implemented") }

// SetEnterpriseLogo is not implemented yet.
func (db *DB) SetEnterpriseLogo(ctx context.Context, e *directory.Enterprise, img *directory.Image, ev directory.Event) error {
	return notYet()
}

// FindAnnouncement is not implemented yet.
func (db *DB) FindAnnouncement(ctx context.Context, id int64) (*directory.Announcement, error) {
	return nil, notYet()
}

// UpdateAnnouncement is not implemented yet.
func (db *DB) UpdateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	return notYet()
}

// DeleteAnnouncement is not implemented yet.
func (db *DB) DeleteAnnouncement(ctx context.Context, id int64, ev directory.Event) error {
	return notYet()
}

// ListUsers is not implemented yet.
func (db *DB) ListUsers(ctx context.Context) ([]*directory.User, error) { return nil, notYet() }

// DeleteUser is not implemented yet.
func (db *DB) DeleteUser(ctx context.Context, id int64) error { return notYet() }

// CreateSession is not implemented yet.
func (db *DB) CreateSession(ctx context.Context, s *directory.Session) error { return notYet() }

// FindSession is not implemented yet.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*directory.Session, *directory.User, error) {
	return nil, nil, notYet()
}

// ExtendSession is not implemented yet.
func (db *DB) ExtendSession(ctx context.Context, id int64, expiresAt time.Time) error {
	return notYet()
}

// DeleteSession is not implemented yet.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error { return notYet() }

// DeleteExpiredSessions is not implemented yet.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return 0, notYet()
}

// CreateInvitation is not implemented yet.
func (db *DB) CreateInvitation(ctx context.Context, inv *directory.Invitation, hash []byte) error {
	return notYet()
}

// ListInvitations is not implemented yet.
func (db *DB) ListInvitations(ctx context.Context, now time.Time) ([]*directory.Invitation, error) {
	return nil, notYet()
}

// FindInvitation is not implemented yet.
func (db *DB) FindInvitation(ctx context.Context, hash []byte, now time.Time) (*directory.Invitation, error) {
	return nil, notYet()
}

// DeleteInvitation is not implemented yet.
func (db *DB) DeleteInvitation(ctx context.Context, id int64) error { return notYet() }

// AcceptInvitation is not implemented yet.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, u *directory.User, now time.Time) error {
	return notYet()
}

// Settings is not implemented yet.
func (db *DB) Settings(ctx context.Context) (*directory.Settings, error) { return nil, notYet() }

// SaveSettings is not implemented yet.
func (db *DB) SaveSettings(ctx context.Context, s *directory.Settings) error { return notYet() }

// FindImage is not implemented yet.
func (db *DB) FindImage(ctx context.Context, id string) (*directory.Image, error) {
	return nil, notYet()
}

// EnterpriseFacets is not implemented yet.
func (db *DB) EnterpriseFacets(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterpriseFacets, error) {
	return nil, notYet()
}

// ListingFacets is not implemented yet.
func (db *DB) ListingFacets(ctx context.Context, q directory.ListingQuery) (*directory.ListingFacets, error) {
	return nil, notYet()
}

// Counts is not implemented yet.
func (db *DB) Counts(ctx context.Context, today string) (*directory.Counts, error) {
	return nil, notYet()
}
