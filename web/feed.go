package web

import (
	"context"
	"encoding/xml"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// feedEntries is the number of entries of every feed: the latest ones.
const feedEntries = 50

// The kinds of feed, by the name in their address.
const (
	feedAnnouncements = "announcements"
	feedNeeds         = "needs"
	feedOffers        = "offers"
)

// atomFeed is an Atom 1.0 feed (RFC 4287), encoded by encoding/xml.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Author     atomPerson     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Content    atomContent    `xml:"content"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// atomContent is HTML, escaped as text (type="html").
type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// siteFeeds are the feeds of the whole directory, offered on every page.
func siteFeeds(network string) []feedLink {
	return []feedLink{
		{Title: network + ": announcements", URL: "/feeds/announcements.atom"},
		{Title: network + ": needs", URL: "/feeds/needs.atom"},
		{Title: network + ": offers", URL: "/feeds/offers.atom"},
	}
}

// enterpriseFeeds are the feeds of one local enterprise.
func enterpriseFeeds(e *directory.Enterprise) []feedLink {
	base := enterprisePath(e.Handle) + "/feeds/"
	return []feedLink{
		{Title: e.Name + ": announcements", Label: "Announcements", URL: base + "announcements.atom"},
		{Title: e.Name + ": needs", Label: "Needs", URL: base + "needs.atom"},
		{Title: e.Name + ": offers", Label: "Offers", URL: base + "offers.atom"},
	}
}

// siteFeed answers GET /feeds/{feed}.atom: the latest announcements,
// needs or offers of the directory, partners' included.
func (s *server) siteFeed(w http.ResponseWriter, r *http.Request) {
	network := s.settings(r).NetworkName
	s.serveFeed(w, r, chi.URLParam(r, "feed"), "", atomPerson{Name: network, URI: s.url("/")}, network)
}

// enterpriseFeed answers GET /enterprises/{handle}/feeds/{feed}.atom: the
// latest announcements, needs or offers of one local enterprise.
func (s *server) enterpriseFeed(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Enterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.serveFeed(w, r, chi.URLParam(r, "feed"), e.Handle, atomPerson{Name: e.Name, URI: s.url(enterprisePath(e.Handle))}, e.Name)
}

// serveFeed writes the feed of kind name for the enterprise handle (or the
// whole directory when handle is "").
func (s *server) serveFeed(w http.ResponseWriter, r *http.Request, name, handle string, author atomPerson, title string) {
	var entries []atomEntry
	var err error
	switch name {
	case feedAnnouncements:
		entries, err = s.announcementEntries(r.Context(), handle)
	case feedNeeds:
		entries, err = s.listingEntries(r.Context(), handle, directory.Need)
	case feedOffers:
		entries, err = s.listingEntries(r.Context(), handle, directory.Offer)
	default:
		err = directory.Errorf(directory.ENOTFOUND, "there is no feed of %s: try announcements, needs or offers", truncate(name, 30))
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if name != feedAnnouncements {
		// "Need: Oak planks" and the category, in the reader's language.
		l := localeOf(r)
		for i := range entries {
			entries[i].Title = l.translateMessage(entries[i].Title)
			for j := range entries[i].Categories {
				entries[i].Categories[j].Label = l.sprintf(entries[i].Categories[j].Label)
			}
		}
	}
	s.writeFeed(w, r, localeOf(r).translateMessage(title+": "+name), author, entries)
}

// writeFeed writes an Atom feed of entries, newest first, at the
// request's address.
func (s *server) writeFeed(w http.ResponseWriter, r *http.Request, title string, author atomPerson, entries []atomEntry) {
	self := s.url(r.URL.EscapedPath())
	feed := atomFeed{
		ID: self, Title: title, Updated: atomTime(s.svc.Now()), Author: author, Generator: "coopdir",
		Links:   []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: author.URI}},
		Entries: entries,
	}
	if len(entries) > 0 {
		feed.Updated = entries[0].Updated // entries are newest first
		for _, e := range entries[1:] {
			feed.Updated = max(feed.Updated, e.Updated)
		}
	}
	body, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		s.failPage(w, r, directory.Internal(err, "encode feed"))
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", cachePublic)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// entryID is the lasting id of an entry: the original's id for a copy from
// a partner, else the address of its page here.
func (s *server) entryID(origin, remoteID, path string) string {
	if origin != "" && remoteID != "" {
		return remoteID
	}
	return s.url(path)
}

// announcementEntries are the latest announcements as feed entries.
func (s *server) announcementEntries(ctx context.Context, handle string) ([]atomEntry, error) {
	posts, _, err := s.svc.RecentAnnouncements(ctx, directory.AnnouncementQuery{Enterprise: handle, Page: directory.Page{Page: 1, PerPage: feedEntries}})
	if err != nil {
		return nil, err
	}
	entries := make([]atomEntry, 0, len(posts))
	for _, a := range posts {
		c := newAnnouncementCard(a)
		updated := a.CreatedAt
		if a.UpdatedAt != nil {
			updated = *a.UpdatedAt
		}
		author := atomPerson{Name: c.EnterpriseName}
		if c.EnterpriseURL != "" {
			author.URI = s.url(c.EnterpriseURL)
		}
		entries = append(entries, atomEntry{
			ID: s.entryID(a.Origin, a.RemoteID, c.URL), Title: c.EnterpriseName + ": " + plainText(a.ContentHTML, 80),
			Updated: atomTime(updated), Published: atomTime(a.CreatedAt), Author: author,
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: s.url(c.URL)}},
			Content: atomContent{Type: "html", Body: a.ContentHTML},
		})
	}
	return entries, nil
}

// listingEntries are the latest open listings of type t as feed entries.
func (s *server) listingEntries(ctx context.Context, handle string, t directory.ListingType) ([]atomEntry, error) {
	q := directory.ListingQuery{Type: t, Status: directory.StatusOpen, Sort: directory.SortNewest,
		Page: directory.Page{Page: 1, PerPage: feedEntries}}
	if handle != "" {
		q.Enterprise, q.Origin = handle, directory.OriginLocal
	}
	res, err := s.svc.SearchListings(ctx, q)
	if err != nil {
		return nil, err
	}
	entries := make([]atomEntry, 0, len(res.Items))
	for _, it := range res.Items {
		entries = append(entries, s.listingEntry(it.Listing))
	}
	return entries, nil
}

func (s *server) listingEntry(l *directory.Listing) atomEntry {
	kind := "Offer"
	if l.Type == directory.Need {
		kind = "Need"
	}
	author := atomPerson{Name: l.EnterpriseName}
	if l.Origin == "" {
		author.URI = s.url(enterprisePath(l.EnterpriseHandle))
	}
	return atomEntry{
		ID: s.entryID(l.Origin, l.RemoteID, listingPath(l.ID)), Title: kind + ": " + l.Title,
		Updated: atomTime(l.UpdatedAt), Published: atomTime(l.CreatedAt), Author: author,
		Links:      []atomLink{{Rel: "alternate", Type: "text/html", Href: s.url(listingPath(l.ID))}},
		Categories: []atomCategory{{Term: string(l.Category), Label: l.Category.Label()}},
		Content:    atomContent{Type: "html", Body: listingSummaryHTML(l) + l.DescriptionHTML},
	}
}

// listingSummaryHTML is a paragraph with the facts of a listing.
func listingSummaryHTML(l *directory.Listing) string {
	parts := []string{l.Category.Label(), l.EnterpriseName}
	if l.Quantity != nil {
		parts = append(parts, strings.TrimSpace(formatNumber(l.Quantity)+" "+l.Unit))
	}
	if l.Location.Address != "" {
		parts = append(parts, l.Location.Address)
	}
	if l.ValidUntil != "" {
		parts = append(parts, "until "+l.ValidUntil)
	}
	return "<p>" + html.EscapeString(joinMeta(parts...)) + "</p>"
}
