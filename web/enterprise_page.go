package web

import (
	"html/template"
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// enterprisePageListings and enterprisePageAnnouncements bound what the
// profile page shows.
const (
	enterprisePageListings      = 50
	enterprisePageAnnouncements = 10
)

// enterpriseView is the data of enterprise.html.
type enterpriseView struct {
	layout
	E             *directory.Enterprise
	SummaryHTML   template.HTML
	Listings      []listingItem
	Announcements []announcementItem
}

// listingItem is a listing shown in full.
type listingItem struct {
	*directory.Listing
	DescriptionHTML template.HTML
}

// announcementItem is an announcement shown in full.
type announcementItem struct {
	*directory.Announcement
	ContentHTML template.HTML
}

// enterprisePage answers GET /enterprises/{handle}: the profile, contact,
// open listings and latest announcements of a local enterprise.
func (s *server) enterprisePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.svc.Enterprise(ctx, chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := enterpriseView{layout: s.layout(r, e.Name), E: e, SummaryHTML: trustedHTML(e.SummaryHTML)}
	listings, err := s.svc.SearchListings(ctx, directory.ListingQuery{
		Enterprise: e.Handle, Origin: directory.OriginLocal, Status: directory.StatusOpen,
		Sort: directory.SortNewest, Page: directory.Page{Page: 1, PerPage: enterprisePageListings},
	})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, it := range listings.Items {
		v.Listings = append(v.Listings, listingItem{Listing: it.Listing, DescriptionHTML: trustedHTML(it.DescriptionHTML)})
	}
	posts, _, err := s.svc.Announcements(ctx, e.Handle, directory.Page{Page: 1, PerPage: enterprisePageAnnouncements})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, a := range posts {
		v.Announcements = append(v.Announcements, announcementItem{Announcement: a, ContentHTML: trustedHTML(a.ContentHTML)})
	}
	s.render(w, r, http.StatusOK, "enterprise.html", v)
}
