package directory

import (
	"context"
	"time"
)

// AllowsAnnouncement reports whether an announcement of the partner, whose
// enterprise is e, passes the scope: announcements follow their enterprise
// (kinds and area); categories, which only listings have, do not limit
// them.
func (s Scope) AllowsAnnouncement(e *Enterprise) bool { return s.AllowsEnterprise(e) }

// PartnerAnnouncementStore keeps the copies of partners' announcements, as
// PartnerStore keeps those of their enterprises and listings. Every method
// is one transaction; no events are recorded.
type PartnerAnnouncementStore interface {
	// ImportRemoteAnnouncements stores copies of origin's announcements
	// (each with Origin origin and a RemoteID, else EINVALID and nothing is
	// written). An announcement's enterprise is the copy with (origin,
	// a.EnterpriseHandle); one whose enterprise is not stored counts as an
	// orphan. A stored copy, matched by (origin, RemoteID), is overwritten
	// when the announcement's update time (UpdatedAt, else CreatedAt) is
	// later, or the same with another ContentHTML (partners' times are
	// whole seconds: an edit within the second of the post still counts);
	// else it counts as unchanged. Sets the IDs of the stored copies (0 for an orphan).
	ImportRemoteAnnouncements(ctx context.Context, origin string, as []*Announcement) (RemoteImport, error)
	// DeleteRemoteAnnouncement removes the copy (origin, remoteID) and
	// reports whether it was there.
	DeleteRemoteAnnouncement(ctx context.Context, origin, remoteID string) (bool, error)
	// LocalAnnouncementsAfter returns up to limit local announcements with
	// an ID above afterID, by ID: a page of the collection partners
	// backfill from.
	LocalAnnouncementsAfter(ctx context.Context, afterID int64, limit int) ([]*Announcement, error)
	// ListPartnerAnnouncements returns a page of the copies of partners'
	// announcements (origin's only, unless origin is ""), newest first,
	// and their total.
	ListPartnerAnnouncements(ctx context.Context, origin string, p Page) ([]*Announcement, int, error)
}

// EditedAt is when the announcement last changed: its edit, else its
// creation.
func (a *Announcement) EditedAt() time.Time {
	if a.UpdatedAt != nil {
		return *a.UpdatedAt
	}
	return a.CreatedAt
}

// CheckRemoteAnnouncements refuses (EINVALID) announcements that are not
// all copies of origin's, with a remote id and an enterprise handle.
func CheckRemoteAnnouncements(origin string, as []*Announcement) error {
	bad := origin == ""
	for _, a := range as {
		bad = bad || a.Origin != origin || a.RemoteID == "" || a.EnterpriseHandle == ""
	}
	if bad {
		return Errorf(EINVALID, "every imported announcement must have origin %q, a remote id and an enterprise", origin)
	}
	return nil
}
