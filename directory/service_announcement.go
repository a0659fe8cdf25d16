package directory

import "context"

// CreateAnnouncement validates and stores a post by the local enterprise
// handle. ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateAnnouncement(ctx context.Context, handle string, a *Announcement) error {
	e, err := s.Store.FindEnterprise(ctx, "", handle)
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
	a.CreatedAt = now
	return s.Store.CreateAnnouncement(ctx, a, Event{Type: EventAnnouncementCreated, EnterpriseHandle: e.Handle, At: now})
}

// Announcements returns a page of a local enterprise's announcements, newest
// first, with their total. ENOTFOUND, EINVALID.
func (s *Service) Announcements(ctx context.Context, handle string, p Page) ([]*Announcement, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &p)
	if err := fe.err("page"); err != nil {
		return nil, 0, err
	}
	e, err := s.Store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListAnnouncements(ctx, e.ID, p)
}
