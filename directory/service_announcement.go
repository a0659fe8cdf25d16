package directory

import (
	"context"
	"strings"
)

// CreateAnnouncement validates and stores a post by the local enterprise
// handle. ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateAnnouncement(ctx context.Context, handle string, a *Announcement) error {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return err
	}
	if err := canEdit(ctx, e); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.now()
	a.ID, a.EnterpriseID, a.EnterpriseHandle = 0, e.ID, e.Handle
	a.Origin, a.RemoteID = "", ""
	a.ContentHTML = s.render(a.Content)
	s.renderTranslations(a.Translations)
	a.CreatedAt, a.UpdatedAt = now, nil
	return s.store.CreateAnnouncement(ctx, a, Event{Type: EventAnnouncementCreated, EnterpriseHandle: e.Handle, At: now})
}

// Announcements returns a page of a local enterprise's announcements, newest
// first, with their total. ENOTFOUND, EINVALID.
func (s *Service) Announcements(ctx context.Context, handle string, p Page) ([]*Announcement, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &p)
	if err := fe.err("page"); err != nil {
		return nil, 0, err
	}
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListAnnouncements(ctx, e.ID, p)
}

// AnnouncementQuery asks for the announcements of the whole instance, or of
// one local enterprise.
type AnnouncementQuery struct {
	Enterprise string // handle of a local enterprise; "" for every enterprise
	Page
}

// RecentAnnouncements returns a page of announcements (local and partner
// ones, or one local enterprise's), newest first, with their total.
// EINVALID, ENOTFOUND (enterprise).
func (s *Service) RecentAnnouncements(ctx context.Context, q AnnouncementQuery) ([]*Announcement, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &q.Page)
	q.Enterprise = strings.TrimSpace(q.Enterprise)
	if err := fe.err("query"); err != nil {
		return nil, 0, err
	}
	var id int64
	if q.Enterprise != "" {
		e, err := s.store.FindEnterprise(ctx, "", q.Enterprise)
		if err != nil {
			return nil, 0, err
		}
		id = e.ID
	}
	return s.store.ListAnnouncements(ctx, id, q.Page)
}

// Announcement returns one announcement by id. ENOTFOUND.
func (s *Service) Announcement(ctx context.Context, id int64) (*Announcement, error) {
	return s.store.FindAnnouncement(ctx, id)
}

// editableAnnouncement loads announcement id and checks that the context
// may change it.
func (s *Service) editableAnnouncement(ctx context.Context, id int64) (*Announcement, error) {
	a, err := s.store.FindAnnouncement(ctx, id)
	if err != nil {
		return nil, err
	}
	owner := &Enterprise{ID: a.EnterpriseID, Handle: a.EnterpriseHandle, Origin: a.Origin}
	if err := canEdit(ctx, owner); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAnnouncement replaces the content of an announcement.
// ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) UpdateAnnouncement(ctx context.Context, id int64, content string) (*Announcement, error) {
	a, err := s.editableAnnouncement(ctx, id)
	if err != nil {
		return nil, err
	}
	a.Content = content
	if err := a.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	a.ContentHTML, a.UpdatedAt = s.render(a.Content), &now
	s.renderTranslations(a.Translations)
	ev := Event{Type: EventAnnouncementUpdated, EnterpriseHandle: a.EnterpriseHandle, AnnouncementID: a.ID, At: now}
	if err := s.store.UpdateAnnouncement(ctx, a, ev); err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteAnnouncement removes an announcement.
// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DeleteAnnouncement(ctx context.Context, id int64) error {
	a, err := s.editableAnnouncement(ctx, id)
	if err != nil {
		return err
	}
	ev := Event{Type: EventAnnouncementDeleted, EnterpriseHandle: a.EnterpriseHandle, AnnouncementID: id, At: s.now()}
	return s.store.DeleteAnnouncement(ctx, id, ev)
}
