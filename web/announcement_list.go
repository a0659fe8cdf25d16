package web

import (
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

// announcementsPerPage is the number of announcements on a page of
// /announcements.
const announcementsPerPage = 20

// announcementsView is the data of announcements.html.
type announcementsView struct {
	layout
	Items []announcementCard
	Total int
	Pager pager
	Feed  string // the Atom feed of the same announcements
}

// announcementsPage answers GET /announcements: the announcements of the
// directory, newest first, a page at a time (a bad page number is a 400, a
// page past the last a 404 that links back).
func (s *server) announcementsPage(w http.ResponseWriter, r *http.Request) {
	p := &queryParams{v: r.URL.Query()}
	page := max(p.integer("page"), 0)
	if raw := p.str("page"); raw != "" && page < 1 {
		p.fail("page", "range", "must be between 1 and %d", directory.MaxPage)
	}
	if err := p.err(); err != nil {
		s.failPage(w, r, err)
		return
	}
	page = max(page, 1)
	items, total, err := s.svc.RecentAnnouncements(r.Context(), directory.AnnouncementQuery{
		Page: directory.Page{Page: page, PerPage: announcementsPerPage}})
	if err != nil {
		s.failPage(w, r, badQuery(err))
		return
	}
	link := func(n int) string {
		if n <= 1 {
			return "/announcements"
		}
		return "/announcements?page=" + strconv.Itoa(n)
	}
	v := announcementsView{layout: s.layout(r, "Announcements"), Total: total, Feed: "/feeds/" + feedAnnouncements + ".atom"}
	v.Canonical = s.url(link(page))
	v.Description = translate(r, "Announcements of the enterprises of %s, newest first.", v.Network)
	v.Pager = pager{Page: page, Pages: (total + announcementsPerPage - 1) / announcementsPerPage}
	if page > 1 {
		v.Pager.PrevURL = link(min(page-1, max(v.Pager.Pages, 1)))
	}
	if page < v.Pager.Pages {
		v.Pager.NextURL = link(page + 1)
	}
	lang := entryLanguage(r)
	for _, a := range items {
		a, _ = localAnnouncement(a, lang)
		v.Items = append(v.Items, newAnnouncementCard(a))
	}
	status := http.StatusOK
	if len(items) == 0 && total > 0 {
		status = http.StatusNotFound // past the last page
		v.NoIndex = true
	}
	s.render(w, r, status, "announcements.html", v)
}
