package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// adminFeedPerPage is the number of posts (or responses) on a page of an
// enterprise's feed (or responses).
const adminFeedPerPage = 20

// adminFeedView is the data of admin_feed.html.
type adminFeedView struct {
	adminPage
	E         *directory.Enterprise
	AdminPath string
	Posts     []adminFeedPost
	Total     int
	pager
}

// adminFeedPost is one post of the feed.
type adminFeedPost struct {
	ID                      int64
	Author, AuthorURL       string
	BoostedBy, BoostedByURL string // the followed account that boosted it, when not its author
	Published               time.Time
	Name                    string
	ContentHTML             template.HTML
	URL                     string
}

// adminFeed answers GET /admin/enterprises/{handle}/feed: the posts of the
// accounts the enterprise follows, newest first.
func (s *server) adminFeed(w http.ResponseWriter, r *http.Request) {
	handle := chi.URLParam(r, "handle")
	e, pg, ok := s.federationPage(w, r, handle)
	if !ok {
		return
	}
	posts, total, err := s.svc.Feed(r.Context(), handle, pg)
	if err != nil {
		s.failPage(w, r, badQuery(err))
		return
	}
	follows, err := s.svc.Following(r.Context(), handle)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	path := adminEnterprisePath(e.Handle)
	v := adminFeedView{adminPage: s.adminPage(w, r, "Feed · "+e.Name), E: e, AdminPath: path, Total: total,
		pager: adminPager(path+"/feed", pg.Page, total)}
	known := followedActors(follows)
	for _, p := range posts {
		v.Posts = append(v.Posts, adminFeedRow(p, known))
	}
	s.render(w, r, http.StatusOK, "admin_feed.html", v)
}

// adminFeedRow describes a post, naming its author and booster by their
// follows where it can.
func adminFeedRow(p *directory.FeedPost, known map[string]actorRef) adminFeedPost {
	author := actorOf(p.Author, known)
	row := adminFeedPost{ID: p.ID, Author: author.Name, AuthorURL: author.URL, Published: p.Published, Name: p.Name,
		ContentHTML: receivedHTML(p.Content), URL: webLink(p.URL)}
	if p.Source != "" && p.Source != p.Author {
		booster := actorOf(p.Source, known)
		row.BoostedBy, row.BoostedByURL = booster.Name, booster.URL
	}
	return row
}

// receivedHTML marks the HTML of a post or reply received from another
// server as safe to embed: federation sanitizes it before it is stored
// (directory.FeedPost.Content, directory.Response.Content).
func receivedHTML(sanitized string) template.HTML {
	return template.HTML(sanitized) //nolint:gosec // sanitized by federation on receipt
}

// actorRef is what to call a remote actor and where its page is.
type actorRef struct {
	Name, URL string
}

// followedActors maps the followed actors' ids to their names and pages.
func followedActors(follows []*directory.Following) map[string]actorRef {
	known := make(map[string]actorRef, len(follows))
	for _, f := range follows {
		ref := actorRef{Name: f.Account, URL: webLink(f.URL)}
		if f.Name != "" && f.Account != "" {
			ref.Name = f.Name + " (" + f.Account + ")"
		} else if f.Name != "" {
			ref.Name = f.Name
		}
		if ref.Name == "" {
			ref.Name = actorName(f.TargetID)
		}
		if ref.URL == "" {
			ref.URL = webLink(f.TargetID)
		}
		known[f.TargetID] = ref
	}
	return known
}

// actorOf names the actor id: by its follow when we follow it, else by its
// address without the scheme, linked to the id.
func actorOf(id string, known map[string]actorRef) actorRef {
	if ref, ok := known[id]; ok {
		return ref
	}
	return actorRef{Name: actorName(id), URL: webLink(id)}
}

// actorName calls an actor we know nothing else about by its id without
// the scheme.
func actorName(id string) string {
	if u, err := url.Parse(id); err == nil && u.Host != "" {
		return u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	return id
}

// adminResponsesView is the data of admin_responses.html.
type adminResponsesView struct {
	adminPage
	E         *directory.Enterprise
	AdminPath string
	Responses []adminResponse
	Total     int
	pager
	// Messages are those of the Respond forms, newest first, with their
	// own pages (?messages=N).
	Messages      []adminMessage
	MessagesTotal int
	MessagesPager pager
}

// adminMessage is one message of a Respond form.
type adminMessage struct {
	*directory.ContactMessage
	Answers, AnswersURL string // the listing it is about, if any
}

// adminResponse is one reply to a listing or announcement of the enterprise.
type adminResponse struct {
	ID                int64
	Author, AuthorURL string
	Published         time.Time
	ContentHTML       template.HTML
	URL               string
	// What it answers: our page and its name; Answers is set even when
	// the entry is gone (AnswersURL is then empty).
	Answers, AnswersURL string
}

// adminResponses answers GET /admin/enterprises/{handle}/responses: the
// replies to the enterprise's needs, offers and announcements.
func (s *server) adminResponses(w http.ResponseWriter, r *http.Request) {
	handle := chi.URLParam(r, "handle")
	e, pg, ok := s.federationPage(w, r, handle)
	if !ok {
		return
	}
	resps, total, err := s.svc.Responses(r.Context(), handle, pg)
	if err != nil {
		s.failPage(w, r, badQuery(err))
		return
	}
	path := adminEnterprisePath(e.Handle)
	v := adminResponsesView{adminPage: s.adminPage(w, r, "Responses · "+e.Name), E: e, AdminPath: path, Total: total,
		pager: adminPager(path+"/responses", pg.Page, total)}
	entries := entryNames{s: s, r: r, names: map[string]string{}}
	if err := s.contactMessages(r, handle, &v, entries); err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, resp := range resps {
		row, err := entries.row(resp)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		v.Responses = append(v.Responses, row)
	}
	s.render(w, r, http.StatusOK, "admin_responses.html", v)
}

// contactMessages fills v with the page of the Respond forms' messages
// that ?messages= asks for.
func (s *server) contactMessages(r *http.Request, handle string, v *adminResponsesView, entries entryNames) error {
	p := &queryParams{v: r.URL.Query()}
	pg := directory.Page{Page: max(p.integer("messages"), 1), PerPage: adminFeedPerPage}
	ms, total, err := s.svc.ContactMessages(r.Context(), handle, pg)
	if err != nil {
		return badQuery(err)
	}
	v.MessagesTotal = total
	v.MessagesPager = adminPager(v.AdminPath+"/responses", pg.Page, total)
	v.MessagesPager.PrevURL = strings.Replace(v.MessagesPager.PrevURL, "?page=", "?messages=", 1)
	v.MessagesPager.NextURL = strings.Replace(v.MessagesPager.NextURL, "?page=", "?messages=", 1)
	for _, m := range ms {
		row := adminMessage{ContactMessage: m}
		if m.ListingID != 0 {
			label, err := entries.lookup(listingPath(m.ListingID), entries.listingName(m.ListingID))
			if err != nil {
				return err
			}
			row.Answers, row.AnswersURL = label, listingPath(m.ListingID)
			if label == "" {
				row.Answers, row.AnswersURL = msg("a listing that was deleted"), ""
			}
		}
		v.Messages = append(v.Messages, row)
	}
	return nil
}

// entryNames names the listings and announcements that responses answer,
// reading each once.
type entryNames struct {
	s     *server
	r     *http.Request
	names map[string]string // by page path; "" for an entry that is gone
}

// row describes resp and what it answers.
func (n entryNames) row(resp *directory.Response) (adminResponse, error) {
	row := adminResponse{ID: resp.ID, Author: resp.AuthorName, AuthorURL: webLink(resp.AuthorURL),
		Published: resp.Published, ContentHTML: receivedHTML(resp.Content), URL: webLink(resp.URL)}
	if row.Author == "" {
		row.Author = actorName(resp.Author)
	}
	if row.AuthorURL == "" {
		row.AuthorURL = webLink(resp.Author)
	}
	var path string
	var name func() (string, error)
	switch {
	case resp.ListingID != 0:
		path, name = listingPath(resp.ListingID), n.listingName(resp.ListingID)
	case resp.AnnouncementID != 0:
		path = announcementPath(resp.AnnouncementID)
		name = func() (string, error) {
			a, err := n.s.svc.Announcement(n.r.Context(), resp.AnnouncementID)
			if err != nil {
				return "", err
			}
			return "the announcement of " + a.CreatedAt.UTC().Format("2 January 2006"), nil
		}
	default:
		row.Answers = msg("an entry that is gone")
		return row, nil
	}
	label, err := n.lookup(path, name)
	if err != nil {
		return row, err
	}
	if label == "" {
		row.Answers = msg("an entry that was deleted")
		return row, nil
	}
	row.Answers, row.AnswersURL = label, path
	return row, nil
}

// listingName returns the function that names listing id.
func (n entryNames) listingName(id int64) func() (string, error) {
	return func() (string, error) {
		l, err := n.s.svc.Listing(n.r.Context(), id)
		if err != nil {
			return "", err
		}
		kind := "offer"
		if l.Type == directory.Need {
			kind = "need"
		}
		return "the " + kind + " “" + l.Title + "”", nil
	}
}

// lookup returns the name of the entry at path, reading it with name the
// first time; "" for an entry that is gone.
func (n entryNames) lookup(path string, name func() (string, error)) (string, error) {
	if label, seen := n.names[path]; seen {
		return label, nil
	}
	label, err := name()
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		err = nil
	}
	if err != nil {
		return "", err
	}
	n.names[path] = label
	return label, nil
}

// federationPage checks that the user may manage the enterprise handle and
// reads the page number of a feed or responses page; otherwise it answers
// the request and returns false.
func (s *server) federationPage(w http.ResponseWriter, r *http.Request, handle string) (*directory.Enterprise, directory.Page, bool) {
	p := &queryParams{v: r.URL.Query()}
	pg := directory.Page{Page: p.integer("page"), PerPage: adminFeedPerPage}
	if pg.Page == 0 {
		pg.Page = 1
	}
	e, err := s.svc.EditableEnterprise(r.Context(), handle)
	if err == nil {
		err = p.err()
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, pg, false
	}
	return e, pg, true
}

// adminPager links the pages of a list of total entries at path.
func adminPager(path string, page, total int) pager {
	pg := pager{Page: page, Pages: min((total+adminFeedPerPage-1)/adminFeedPerPage, directory.MaxPage)}
	at := func(n int) string {
		if n <= 1 {
			return path
		}
		return path + "?page=" + strconv.Itoa(n)
	}
	if page > 1 {
		pg.PrevURL = at(min(page-1, max(pg.Pages, 1)))
	}
	if page < pg.Pages {
		pg.NextURL = at(page + 1)
	}
	return pg
}
