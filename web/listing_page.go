package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// listingPageView is the data of listing.html.
type listingPageView struct {
	layout
	L               *directory.Listing
	EntryLanguages  entryLanguages
	DescriptionHTML template.HTML
	Status          directory.Status // effective: expired when past its date
	EnterpriseURL   string
	Respond         *respondBox // nil for a partner's listing
	Matches         []matchRow  // its best matches, while it is open
	Agreements      *agreementBox
}

// listingPage answers GET /listings/{id}: one need or offer, whatever its
// status (a closed one says so), with its schema.org description.
func (s *server) listingPage(w http.ResponseWriter, r *http.Request) {
	id, err := listingID(r)
	if err == nil {
		var l *directory.Listing
		if l, err = s.svc.Listing(r.Context(), id); err == nil {
			s.showListing(w, r, l)
			return
		}
	}
	s.failPage(w, r, err)
}

// listingEnterprise reads the local enterprise of listing l for the
// page's linked data; nil (logged) when it cannot be read, since the page
// does not need it.
func (s *server) listingEnterprise(r *http.Request, l *directory.Listing) *directory.Enterprise {
	e, err := s.svc.Enterprise(r.Context(), l.EnterpriseHandle)
	if err != nil {
		s.log.WarnContext(r.Context(), "read the enterprise of a listing", "listing", l.ID, "err", err)
		return nil
	}
	return e
}

func (s *server) showListing(w http.ResponseWriter, r *http.Request, l *directory.Listing) {
	l, shown := localListing(l, entryLanguage(r))
	kind, title := translate(r, "Offer"), translate(r, "Offer: %s", l.Title)
	if l.Type == directory.Need {
		kind, title = translate(r, "Need"), translate(r, "Need: %s", l.Title)
	}
	v := listingPageView{layout: s.layout(r, title), L: l, DescriptionHTML: trustedHTML(l.DescriptionHTML),
		Status: l.EffectiveStatus(s.svc.Now()), EntryLanguages: languagesOf(r, shown, mainTag(l.Language), l.Translations)}
	v.OGType = "article"
	if l.Origin == "" {
		v.EnterpriseURL = enterprisePath(l.EnterpriseHandle)
		v.JSONLD = s.listingPageLD(l, s.listingEnterprise(r, l), s.url(v.EnterpriseURL))
		v.Respond = s.respondBox(listingRespondTarget(&directory.Enterprise{Handle: l.EnterpriseHandle, Name: l.EnterpriseName}, l))
		v.Styles = append(v.Styles, assets.url("admin.css"))
		if v.Status == directory.StatusOpen {
			v.Alternates = append(v.Alternates, murmurationsLink(l.Title, murmurations.ListingPathPrefix+strconv.FormatInt(l.ID, 10)+".json"))
		}
	} else if l.RemoteURL != "" {
		v.Canonical = l.RemoteURL // the partner's page is the original
	}
	v.Description = joinMeta(kind, translate(r, l.Category.Label()), l.EnterpriseName, plainText(l.DescriptionHTML, 200))
	if v.Status != directory.StatusOpen {
		v.NoIndex = true
	} else {
		ms, err := s.svc.ListingMatches(r.Context(), l.ID, directory.ListingMatchesShown)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		v.Matches = matchRows(ms, l.ID, 0)
	}
	var err error
	if v.Agreements, err = s.agreementBox(r, l, v.Status); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "listing.html", v)
}
