package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// Topics are saved searches (directory.SavedSearch): each has a page at
// its actor's address, /topics/{handle}, with the search's results and a
// follow box, an Atom feed and GeoJSON; /topics lists them.

// topicPath is the page (and actor id) of the topic with handle.
func topicPath(handle string) string { return "/topics/" + url.PathEscape(handle) }

// topicFeedPath is the Atom feed of the topic with handle.
func topicFeedPath(handle string) string { return topicPath(handle) + "/feed.atom" }

// boardValues is a topic's search as the board's query: the same filter,
// newest first, the place as the point it was found at.
func boardValues(ss *directory.SavedSearch) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", ss.Text)
	set("type", string(ss.Type))
	for _, c := range ss.Categories {
		v.Add("category", string(c))
	}
	set("origin", ss.Origin)
	if ss.Geo != nil {
		v.Set("near", strconv.FormatFloat(ss.Geo.Near.Lat, 'f', -1, 64)+","+strconv.FormatFloat(ss.Geo.Near.Lon, 'f', -1, 64))
		v.Set("within_km", strconv.FormatFloat(ss.Geo.KM, 'f', -1, 64))
	}
	v.Set("sort", directory.SortNewest)
	return v
}

// topicView is the data of topic.html.
type topicView struct {
	layout
	Topic    *directory.SavedSearch
	Search   *searchView
	FeedURL  string
	MapURL   string // the GeoJSON of the results
	BoardURL string // the same search on the board, to refine it
	Follow   *followBox
}

// topicsView is the data of topics.html.
type topicsView struct {
	layout
	Topics  []*directory.SavedSearch
	CanEdit bool
}

// topicsPage answers GET /topics: every topic, to follow.
func (s *server) topicsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.SavedSearches(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := topicsView{layout: s.layout(r, translate(r, "Follow a topic")), Topics: list,
		CanEdit: s.svc.CanSaveSearches(r.Context())}
	v.Description = translate(r, "Saved searches of %s: follow one to see each new need or offer it finds.", v.Network)
	s.render(w, r, http.StatusOK, "topics.html", v)
}

// topicRequest is r with the topic's search as its query (and r's page).
func topicRequest(r *http.Request, ss *directory.SavedSearch, extra url.Values) *http.Request {
	v := boardValues(ss)
	for k, vals := range extra {
		v[k] = vals
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = v.Encode()
	return r2
}

// topicPage answers GET /topics/{handle}: the results of the topic's
// search, newest first, with its follow box; GeoJSON when asked for.
func (s *server) topicPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	ss, err := s.svc.SavedSearch(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if wantsGeoJSON(r) {
		s.geoJSONSearch(w, topicRequest(r, ss, url.Values{"format": {"geojson"}}), "/board")
		return
	}
	extra := url.Values{}
	if p := r.URL.Query().Get("page"); p != "" {
		extra.Set("page", p)
	}
	sv, status := s.search(topicRequest(r, ss, extra), "/board", boardPerPage)
	if status == 0 {
		s.failPage(w, r, sv.err)
		return
	}
	v := topicView{layout: s.layout(r, ss.Name), Topic: ss, Search: sv, FeedURL: topicFeedPath(ss.Handle),
		MapURL: topicPath(ss.Handle) + "?format=geojson", BoardURL: "/board?" + boardValues(ss).Encode()}
	v.Description = ss.Summary
	v.Canonical = s.url(topicPath(ss.Handle))
	v.Feeds = []feedLink{{Title: ss.Name, URL: v.FeedURL}}
	v.Follow = s.newFollowBox(r, &v.layout, ss.Handle, ss.Name)
	s.render(w, r, status, "topic.html", v)
}

// topicFeed answers GET /topics/{handle}/feed.atom: the newest listings
// the topic's search finds.
func (s *server) topicFeed(w http.ResponseWriter, r *http.Request) {
	ss, err := s.svc.SavedSearch(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	res, err := s.svc.SearchListings(r.Context(), ss.Query(directory.Page{Page: 1, PerPage: feedEntries}))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	entries := []atomEntry{}
	for _, it := range res.Items {
		entries = append(entries, s.listingEntry(it.Listing))
	}
	s.writeFeed(w, r, ss.Name, atomPerson{Name: ss.Name, URI: s.url(topicPath(ss.Handle))}, entries)
}
