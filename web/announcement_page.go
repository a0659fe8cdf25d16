package web

import (
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// announcementPageView is the data of announcement.html.
type announcementPageView struct {
	layout
	A              announcementCard
	EntryLanguages entryLanguages
}

// announcementPage answers GET /announcements/{id}: one announcement.
func (s *server) announcementPage(w http.ResponseWriter, r *http.Request) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		s.failPage(w, r, directory.Errorf(directory.ENOTFOUND, "no announcement with id %q", truncate(raw, 30)))
		return
	}
	a, err := s.svc.Announcement(r.Context(), id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	a, shown := localAnnouncement(a, entryLanguage(r))
	c := newAnnouncementCard(a)
	v := announcementPageView{layout: s.layout(r, "Announcement by "+c.EnterpriseName), A: c,
		EntryLanguages: languagesOf(r, shown, mainTag(a.Language), a.Translations)}
	v.OGType = "article"
	v.Description = plainText(a.ContentHTML, 200)
	if a.Origin != "" {
		v.NoIndex = true // the partner's copy is the original
	}
	if c.EnterpriseURL != "" {
		v.Feeds = append(enterpriseFeeds(&directory.Enterprise{Handle: a.EnterpriseHandle, Name: c.EnterpriseName})[:1], v.Feeds...)
	}
	s.render(w, r, http.StatusOK, "announcement.html", v)
}
