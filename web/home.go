package web

import (
	"html/template"
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// homeListings is the number of newest needs, of newest offers and of
// newest announcements the home page shows.
const homeListings = 5

// homeView is the data of home.html.
type homeView struct {
	layout
	AboutHTML     template.HTML
	Counts        *directory.Counts
	Needs, Offers []listingCard
	Announcements []announcementCard
	Follow        *followBox
}

// enterpriseCard is one enterprise of a result list.
type enterpriseCard struct {
	*directory.Enterprise
	URL         string
	SummaryHTML template.HTML
	DistanceKM  *float64
	AlsoListed  []alsoListedLink // the same organisation's other entries
}

func newEnterpriseCard(e *directory.Enterprise, km *float64) enterpriseCard {
	return enterpriseCard{Enterprise: e, URL: enterpriseURL(e), SummaryHTML: trustedHTML(e.SummaryHTML), DistanceKM: km}
}

// listingCard is one need or offer of a result list.
type listingCard struct {
	*directory.Listing
	URL        string
	DistanceKM *float64
}

func newListingCard(l *directory.Listing, km *float64) listingCard {
	return listingCard{Listing: l, URL: listingPath(l.ID), DistanceKM: km}
}

// announcementCard is one announcement of a list, shown in full.
type announcementCard struct {
	*directory.Announcement
	URL, EnterpriseURL string
	ContentHTML        template.HTML
}

func newAnnouncementCard(a *directory.Announcement) announcementCard {
	c := announcementCard{Announcement: a, URL: announcementPath(a.ID), ContentHTML: trustedHTML(a.ContentHTML)}
	if a.Origin == "" {
		c.EnterpriseURL = enterprisePath(a.EnterpriseHandle)
	}
	if c.EnterpriseName == "" {
		c.EnterpriseName = a.EnterpriseHandle
	}
	return c
}

// homePage answers GET /: the network and what it is about, how much the
// directory holds, a search box and the newest needs, offers and
// announcements.
func (s *server) homePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := s.settings(r)
	v := homeView{layout: s.layout(r, ""), AboutHTML: trustedHTML(st.AboutHTML)}
	v.Follow = s.newFollowBox(r, &v.layout, "network", v.Network)
	var err error
	if v.Counts, err = s.svc.Counts(ctx); err != nil {
		s.failPage(w, r, err)
		return
	}
	if v.Needs, err = s.newestListings(r, directory.Need); err == nil {
		v.Offers, err = s.newestListings(r, directory.Offer)
	}
	if err == nil {
		v.Announcements, err = s.newestAnnouncements(r, "", homeListings)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home.html", v)
}

// newestListings returns the newest open listings of type t.
func (s *server) newestListings(r *http.Request, t directory.ListingType) ([]listingCard, error) {
	res, err := s.svc.SearchListings(r.Context(), directory.ListingQuery{
		Type: t, Status: directory.StatusOpen, Sort: directory.SortNewest,
		Page: directory.Page{Page: 1, PerPage: homeListings},
	})
	if err != nil {
		return nil, err
	}
	cards := make([]listingCard, 0, len(res.Items))
	for _, it := range res.Items {
		cards = append(cards, newListingCard(it.Listing, nil))
	}
	return cards, nil
}

// newestAnnouncements returns the newest n announcements of the local
// enterprise handle, or of every enterprise when handle is "".
func (s *server) newestAnnouncements(r *http.Request, handle string, n int) ([]announcementCard, error) {
	posts, _, err := s.svc.RecentAnnouncements(r.Context(), directory.AnnouncementQuery{
		Enterprise: handle, Page: directory.Page{Page: 1, PerPage: n},
	})
	if err != nil {
		return nil, err
	}
	cards := make([]announcementCard, len(posts))
	lang := entryLanguage(r)
	for i, a := range posts {
		a, _ = localAnnouncement(a, lang)
		cards[i] = newAnnouncementCard(a)
	}
	return cards, nil
}
