package web

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
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
	E              *directory.Enterprise
	EntryLanguages entryLanguages
	SummaryHTML    template.HTML
	Logo           string
	Needs, Offers  []listingItem
	Announcements  []announcementCard
	OwnFeeds       []feedLink
	Respond        *respondBox
	Follow         *followBox
}

// listingItem is a listing shown in full.
type listingItem struct {
	*directory.Listing
	URL             string
	DescriptionHTML template.HTML
}

// enterprisePage answers GET /enterprises/{handle}: the profile, contact,
// location, open needs and offers and latest announcements of a local
// enterprise, with its feeds and its schema.org description.
func (s *server) enterprisePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.svc.Enterprise(ctx, chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	lang := entryLanguage(r)
	e, shown := localEnterprise(e, lang)
	v := enterpriseView{layout: s.layout(r, e.Name), E: e, SummaryHTML: trustedHTML(e.SummaryHTML),
		EntryLanguages: languagesOf(r, shown, e.MainLanguage(), e.Translations)}
	listings, err := s.svc.SearchListings(ctx, directory.ListingQuery{
		Enterprise: e.Handle, Origin: directory.OriginLocal, Status: directory.StatusOpen,
		Sort: directory.SortNewest, Page: directory.Page{Page: 1, PerPage: enterprisePageListings},
	})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	var open []*directory.Listing
	for _, it := range listings.Items {
		it.Listing, _ = localListing(it.Listing, lang)
		item := listingItem{Listing: it.Listing, URL: listingPath(it.ID), DescriptionHTML: trustedHTML(it.DescriptionHTML)}
		if it.Type == directory.Need {
			v.Needs = append(v.Needs, item)
		} else {
			v.Offers = append(v.Offers, item)
		}
		open = append(open, it.Listing)
	}
	if v.Announcements, err = s.newestAnnouncements(r, e.Handle, enterprisePageAnnouncements); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.describeEnterprise(&v, open)
	v.Respond = s.respondBox(enterpriseRespondTarget(e))
	v.Styles = append(v.Styles, assets.url("admin.css"))
	v.Follow = s.newFollowBox(r, &v.layout, e.Handle, e.Name)
	s.render(w, r, http.StatusOK, "enterprise.html", v)
}

// describeEnterprise fills the head of the profile page: description,
// canonical address, logo, feeds and schema.org data.
func (s *server) describeEnterprise(v *enterpriseView, open []*directory.Listing) {
	e := v.E
	v.OGType = "profile"
	v.Canonical = s.url(enterprisePath(e.Handle))
	if d := plainText(e.SummaryHTML, 300); d != "" {
		v.Description = d
	} else {
		v.Description = joinMeta(e.Kind.Label(), e.Location.Address) + " · " + v.Network
	}
	if e.Logo != "" {
		v.Logo = e.Logo
		v.Image = s.absURL(e.Logo)
	}
	v.OwnFeeds = enterpriseFeeds(e)
	v.Alternates = append(v.Alternates, murmurationsLink(e.Name, murmurations.EnterprisePathPrefix+e.Handle+".json"))
	v.Feeds = append(slices.Clone(v.OwnFeeds), v.Feeds...)
	v.JSONLD = s.organizationLD(e, v.Canonical, open)
}
