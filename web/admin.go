package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// Admin pages: the Service decides what each user may change; these pages
// only offer what the user may do. Admins manage every local enterprise,
// the settings and the accounts; editors manage their own enterprise.

// adminPerPage is the number of enterprises per page of the admin's list;
// adminListings and adminPosts bound the lists of one enterprise.
const (
	adminPerPage  = 25
	adminListings = 100
	adminPosts    = 50
)

// adminHomeView is the data of admin.html.
type adminHomeView struct {
	adminPage
	IsAdmin bool
	// For admins: the local enterprises matching Query.
	Query            string
	Enterprises      []*directory.Enterprise
	Total, Pages     int
	Page             int
	PrevURL, NextURL string
	// For editors: their enterprise and what it has posted.
	Enterprise    *directory.Enterprise
	Listings      adminListingList
	Announcements adminAnnouncementList
	NewMatches    int // matches of its listings not seen yet
	Agreements    int // agreements waiting for its answer
}

// adminHome answers GET /admin: for admins the enterprises with a search
// and shortcuts, for editors their enterprise, its listings and posts.
func (s *server) adminHome(w http.ResponseWriter, r *http.Request) {
	u := directory.UserFromContext(r.Context())
	v := adminHomeView{adminPage: s.adminPage(w, r, "Admin"), IsAdmin: userIsAdmin(u)}
	var err error
	if v.IsAdmin {
		err = s.fillEnterpriseList(r, &v)
	} else {
		err = s.fillEditorHome(r, u, &v)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin.html", v)
}

// fillEnterpriseList searches the local enterprises for the admin's list.
func (s *server) fillEnterpriseList(r *http.Request, v *adminHomeView) error {
	p := &queryParams{v: r.URL.Query()}
	v.Query = p.str("q")
	q := directory.EnterpriseQuery{Text: v.Query, Origin: directory.OriginLocal,
		Page: directory.Page{Page: p.integer("page"), PerPage: adminPerPage}}
	if v.Query == "" {
		q.Sort = directory.SortName
	}
	if err := p.err(); err != nil {
		return err
	}
	res, err := s.svc.SearchEnterprises(r.Context(), q)
	if err != nil {
		return badQuery(err)
	}
	for _, it := range res.Items {
		v.Enterprises = append(v.Enterprises, it.Enterprise)
	}
	v.Total, v.Page = res.Total, res.Page.Page
	v.Pages = (res.Total + adminPerPage - 1) / adminPerPage
	link := func(page int) string {
		qs := url.Values{}
		if v.Query != "" {
			qs.Set("q", v.Query)
		}
		if page > 1 {
			qs.Set("page", strconv.Itoa(page))
		}
		if len(qs) == 0 {
			return "/admin"
		}
		return "/admin?" + qs.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
	return nil
}

// fillEditorHome loads the editor's enterprise and its content.
func (s *server) fillEditorHome(r *http.Request, u *directory.User, v *adminHomeView) error {
	if u.EnterpriseHandle == "" {
		return nil
	}
	e, err := s.svc.Enterprise(r.Context(), u.EnterpriseHandle)
	if err != nil {
		return err
	}
	v.Enterprise, v.NewMatches, v.Agreements = e, s.newMatches(r, e.Handle), s.pendingAgreements(r, e.Handle)
	v.Listings, v.Announcements, err = s.enterpriseContent(r, e, "/admin")
	return err
}

// userIsAdmin reports whether u manages the whole instance.
func userIsAdmin(u *directory.User) bool { return u != nil && u.Role == directory.RoleAdmin }

// mayManage reports whether u may change the enterprise e: the same rule
// the Service applies, used here only to decide what a page offers.
func mayManage(u *directory.User, e *directory.Enterprise) bool {
	return u != nil && e.IsLocal() &&
		(u.Role == directory.RoleAdmin || (u.EnterpriseID != nil && *u.EnterpriseID == e.ID))
}

// requireAdmin shows a 403 page to anyone but admins.
func (s *server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !userIsAdmin(directory.UserFromContext(r.Context())) {
			s.failPage(w, r, directory.Errorf(directory.EFORBIDDEN, "only the network's admins may do this"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// managedEnterprise loads the enterprise of the {handle} in the path and
// checks that the user may manage it; otherwise it answers the request.
func (s *server) managedEnterprise(w http.ResponseWriter, r *http.Request) (*directory.Enterprise, bool) {
	e, err := s.svc.Enterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return nil, false
	}
	if !mayManage(directory.UserFromContext(r.Context()), e) {
		s.failPage(w, r, directory.Errorf(directory.EFORBIDDEN, "you may only change your own enterprise"))
		return nil, false
	}
	return e, true
}

// adminPathID reads the numeric {id} of the path; a malformed one is not found.
func adminPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, directory.Errorf(directory.ENOTFOUND, "not found")
	}
	return id, nil
}

// adminEnterprisePath is the admin page of a local enterprise.
func adminEnterprisePath(handle string) string { return "/admin/enterprises/" + url.PathEscape(handle) }

// adminListingList is the data of the "listings" part.
type adminListingList struct {
	Items []adminListing
	Total int
	Back  string // where the action buttons return to
}

// adminListing is one row of the listings table.
type adminListing struct {
	ID                  int64
	Title, TypeLabel    string
	Status              directory.Status // effective: expired when past its date
	StatusLabel         string
	ValidUntil, EditURL string
	Actions             []listingAction
}

// listingAction is a one-click button on a listing.
type listingAction struct {
	URL, Label, Subject string
	Danger              bool
}

// adminAnnouncementList is the data of the "announcements" part.
type adminAnnouncementList struct {
	Items []adminAnnouncement
	Total int
	Back  string
}

// adminAnnouncement is one announcement of the list.
type adminAnnouncement struct {
	ID                 int64
	CreatedAt, Edited  time.Time
	ContentHTML        template.HTML
	EditURL, DeleteURL string
}

// enterpriseContent loads the listings (all statuses) and announcements of
// a local enterprise for its admin lists.
func (s *server) enterpriseContent(r *http.Request, e *directory.Enterprise, back string) (adminListingList, adminAnnouncementList, error) {
	ls, err := s.svc.SearchListings(r.Context(), directory.ListingQuery{Enterprise: e.Handle,
		Origin: directory.OriginLocal, Sort: directory.SortNewest, Page: directory.Page{PerPage: adminListings}})
	if err != nil {
		return adminListingList{}, adminAnnouncementList{}, err
	}
	as, total, err := s.svc.RecentAnnouncements(r.Context(), directory.AnnouncementQuery{Enterprise: e.Handle,
		Page: directory.Page{PerPage: adminPosts}})
	if err != nil {
		return adminListingList{}, adminAnnouncementList{}, err
	}
	ll := adminListingList{Total: ls.Total, Back: back}
	now := s.svc.Now()
	for _, it := range ls.Items {
		ll.Items = append(ll.Items, adminListingRow(it.Listing, now))
	}
	al := adminAnnouncementList{Total: total, Back: back}
	for _, a := range as {
		al.Items = append(al.Items, adminAnnouncementRow(a))
	}
	return ll, al, nil
}

var adminStatusLabels = map[directory.Status]string{
	directory.StatusOpen: "Open", directory.StatusExpired: "Expired",
	directory.StatusFulfilled: "Fulfilled", directory.StatusWithdrawn: "Withdrawn",
}

// adminListingRow describes a listing and the actions that make sense in
// its state.
func adminListingRow(l *directory.Listing, now time.Time) adminListing {
	st := l.EffectiveStatus(now)
	row := adminListing{ID: l.ID, Title: l.Title, TypeLabel: "Offer", Status: st, StatusLabel: adminStatusLabels[st],
		ValidUntil: l.ValidUntil, EditURL: adminListingPath(l.ID)}
	if l.Type == directory.Need {
		row.TypeLabel = "Need"
	}
	act := func(action, label string, danger bool) {
		row.Actions = append(row.Actions, listingAction{URL: adminListingPath(l.ID) + "/" + action,
			Label: label, Subject: l.Title, Danger: danger})
	}
	if st == directory.StatusOpen {
		act("fulfil", msg("Mark fulfilled"), false)
	}
	if st == directory.StatusOpen || st == directory.StatusExpired {
		act("withdraw", msg("Withdraw"), false)
	}
	act("renew", msg("Renew for 30 days"), false)
	act("delete", msg("Delete"), true)
	return row
}

func adminAnnouncementRow(a *directory.Announcement) adminAnnouncement {
	row := adminAnnouncement{ID: a.ID, CreatedAt: a.CreatedAt, ContentHTML: trustedHTML(a.ContentHTML),
		EditURL: adminAnnouncementPath(a.ID), DeleteURL: adminAnnouncementPath(a.ID) + "/delete"}
	if a.UpdatedAt != nil {
		row.Edited = *a.UpdatedAt
	}
	return row
}

// adminListingPath is the admin page of a listing.
func adminListingPath(id int64) string { return "/admin/listings/" + strconv.FormatInt(id, 10) }

// adminAnnouncementPath is the admin page of an announcement.
func adminAnnouncementPath(id int64) string {
	return "/admin/announcements/" + strconv.FormatInt(id, 10)
}
