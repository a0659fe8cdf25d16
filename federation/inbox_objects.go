package federation

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Limits on what we keep of received posts.
const (
	maxPostHTML   = 64 << 10
	maxPostName   = 500
	maxReportText = 5000
)

// onCreateOrUpdate keeps a post of an actor one of ours follows (its feed),
// or a reply to one of our listings or announcements (a response). An
// Update of the actor itself refreshes what we know of it. The object
// must be the actor's own: embedded objects from another origin are
// fetched from there.
func (in *Inbox) onCreateOrUpdate(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	if env.Type == "Update" && sameDocument(env.ObjectID, env.Actor) {
		_, err := in.resolver.Actor(ctx, env.Actor, true)
		return err
	}
	obj, err := in.objectOf(ctx, m["object"], env.Actor)
	if err != nil || obj == nil {
		return err
	}
	if !sameDocument(attributedTo(obj), env.Actor) {
		return directory.Errorf(directory.EINVALID, "the object is not attributed to the activity's actor")
	}
	if env.Type == "Update" {
		return in.updatePost(ctx, env.Actor, obj)
	}
	return in.receivePost(ctx, env.Actor, obj)
}

// updatePost applies an edit by its author: to a response, or to a feed
// post however it reached us (also through a network's announce, whose
// source is not the author).
func (in *Inbox) updatePost(ctx context.Context, author string, obj map[string]any) error {
	inReplyTo := ap.IDOf(obj["inReplyTo"])
	if inReplyTo != "" && SameOrigin(inReplyTo, in.opt.URLs.Home()) {
		return in.receiveResponse(ctx, author, inReplyTo, obj)
	}
	p := in.feedPost(author, author, obj)
	_, err := in.store.UpdateFeedPost(ctx, p)
	return err
}

// onDelete removes a deleted post, or what we keep of a deleted actor.
func (in *Inbox) onDelete(ctx context.Context, env *ap.Envelope) error {
	if env.ObjectID == "" {
		return nil
	}
	if sameDocument(env.ObjectID, env.Actor) {
		return in.forgetActor(ctx, env.Actor)
	}
	if _, err := in.store.DeleteFeedPost(ctx, env.ObjectID, env.Actor); err != nil {
		return err
	}
	_, err := in.store.DeleteResponse(ctx, env.ObjectID, env.Actor)
	return err
}

// forgetActor drops the follows of and by a deleted actor.
func (in *Inbox) forgetActor(ctx context.Context, id string) error {
	// Its own inbox names it alone, unless its server has one inbox for all.
	if a, err := in.store.FindRemoteActor(ctx, id); err == nil && a.Inbox != a.SharedInbox {
		if _, err := in.store.DeleteFollowersByInbox(ctx, a.Inbox); err != nil {
			return err
		}
	}
	fs, err := in.store.FollowingOf(ctx, id)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if err := in.store.DeleteFollowing(ctx, f.ID); err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return err
		}
	}
	return nil
}

// onAnnounce keeps a boost (or a coopdir Group's full Announce{Create})
// from an actor one of ours follows. The announced object comes from its
// own origin unless the announcer shares it.
func (in *Inbox) onAnnounce(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	if p, err := in.partners.partnerOf(ctx, env.Actor); err != nil {
		return err
	} else if p != nil && p.Importing() {
		return in.partners.applyPartner(ctx, p, m["object"])
	}
	follows, err := in.store.FollowingOf(ctx, env.Actor)
	if err != nil || len(follows) == 0 {
		return err
	}
	// An embedded object is used only when the announcer wrote it (or, in
	// the full form, when the Create is its own server's and the object its
	// actor's); anything else is fetched from its own origin, so nobody can
	// put words in another account's mouth.
	v := m["object"]
	if inner, ok := v.(map[string]any); ok && isActivity(str(inner["type"])) {
		if str(inner["type"]) != "Create" {
			return nil
		}
		obj, _ := inner["object"].(map[string]any)
		if SameOrigin(str(inner["actor"]), env.Actor) && obj != nil && sameDocument(attributedTo(obj), str(inner["actor"])) {
			v = obj
		} else {
			v = ap.IDOf(inner["object"])
		}
	} else if obj, ok := v.(map[string]any); ok && !sameDocument(attributedTo(obj), env.Actor) {
		v = str(obj["id"])
	}
	if SameOrigin(ap.IDOf(v), in.opt.URLs.Home()) {
		return nil // a boost of one of our own posts
	}
	obj, err := in.objectOf(ctx, v, env.Actor)
	if err != nil || obj == nil {
		return err
	}
	if !SameOrigin(attributedTo(obj), str(obj["id"])) {
		return directory.Errorf(directory.EINVALID, "the announced object is not attributed to an actor of its own host")
	}
	return in.receivePost(ctx, env.Actor, obj)
}

func isActivity(t string) bool {
	switch t {
	case "Create", "Update", "Delete", "Announce", "Follow", "Accept", "Reject", "Undo", "Like", "Flag":
		return true
	}
	return false
}

// objectOf returns an activity's object: embedded and from the origin of
// trusted (the activity's actor), or fetched by its id from its own
// origin. nil without error when there is nothing to read.
func (in *Inbox) objectOf(ctx context.Context, v any, trusted string) (map[string]any, error) {
	if obj, ok := v.(map[string]any); ok {
		id := str(obj["id"])
		if id != "" && SameOrigin(id, trusted) {
			return obj, nil
		}
		v = id
	}
	id := str(v)
	if id == "" {
		return nil, nil
	}
	if SameOrigin(id, in.opt.URLs.Home()) {
		return nil, directory.Errorf(directory.EINVALID, "the object claims an id on this server")
	}
	raw, _, err := in.opt.Client.FetchDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	return ap.CheckDocument(raw, "object")
}

// attributedTo is an object's author id.
func attributedTo(obj map[string]any) string {
	if v, ok := obj["attributedTo"].([]any); ok && len(v) > 0 {
		return ap.IDOf(v[0])
	}
	return ap.IDOf(obj["attributedTo"])
}

// receivePost stores obj, sent (or announced) by source: as a response
// when it replies to one of our entries, else in the feeds of those of our
// actors that follow source.
func (in *Inbox) receivePost(ctx context.Context, source string, obj map[string]any) error {
	author := attributedTo(obj)
	// A boost by an allowed server of a post from a blocked domain. The
	// source's own host passed the inbox's check already (its activities
	// are dropped when it is blocked), so a post on it needs no other.
	host, err := Host(author)
	if err != nil {
		return directory.Errorf(directory.EINVALID, "the post has no valid author")
	}
	if sourceHost, _ := Host(source); host != sourceHost {
		if blocked, err := in.blocked(ctx, host); err != nil || blocked {
			return err
		}
	}
	inReplyTo := ap.IDOf(obj["inReplyTo"])
	if inReplyTo != "" && SameOrigin(inReplyTo, in.opt.URLs.Home()) {
		return in.receiveResponse(ctx, author, inReplyTo, obj)
	}
	if !forFollowers(obj) {
		return nil // a direct message: not for every follower's feed
	}
	follows, err := in.store.FollowingOf(ctx, source)
	if err != nil || len(follows) == 0 {
		return err
	}
	return in.store.SaveFeedPost(ctx, in.feedPost(source, author, obj))
}

// forFollowers reports whether a post is addressed to the public or to a
// followers collection (a followers-only post), not to chosen accounts.
func forFollowers(obj map[string]any) bool {
	for _, a := range append(strs(obj["to"]), strs(obj["cc"])...) {
		if a == ap.Public || a == "as:Public" || a == "Public" || strings.HasSuffix(a, "/followers") {
			return true
		}
	}
	return false
}

// feedPost is what we keep of a received post.
func (in *Inbox) feedPost(source, author string, obj map[string]any) *directory.FeedPost {
	p := &directory.FeedPost{
		ObjectID: str(obj["id"]), Source: source, Author: author, Type: str(obj["type"]),
		Name: clip(str(obj["name"]), maxPostName), Content: in.postHTML(obj), URL: pageURL(obj),
		InReplyTo: ap.IDOf(obj["inReplyTo"]),
	}
	p.Published, p.Updated = postTimes(obj, in.now())
	return p
}

// receiveResponse stores a reply to one of our listings or announcements.
func (in *Inbox) receiveResponse(ctx context.Context, author, inReplyTo string, obj map[string]any) error {
	kind, id, ok := in.parseObject(inReplyTo)
	if !ok {
		return nil
	}
	r := &directory.Response{ObjectID: str(obj["id"]), Author: author, Content: in.postHTML(obj), URL: pageURL(obj)}
	var handle string
	switch kind {
	case "listing":
		l, err := in.opt.Service.Listing(ctx, id)
		if err != nil {
			return ignoreNotFound(err)
		}
		r.ListingID, handle = l.ID, l.EnterpriseHandle
	default:
		a, err := in.opt.Service.Announcement(ctx, id)
		if err != nil {
			return ignoreNotFound(err)
		}
		r.AnnouncementID, handle = a.ID, a.EnterpriseHandle
	}
	e, err := in.opt.Service.Enterprise(ctx, handle)
	if err != nil {
		return ignoreNotFound(err)
	}
	r.EnterpriseID = e.ID
	r.AuthorName, r.AuthorURL = author, author
	if a, err := in.resolver.Actor(ctx, author, false); err == nil {
		host, _ := Host(a.ID)
		r.AuthorName = a.Username + "@" + host
		if a.Name != "" {
			r.AuthorName = clip(a.Name, 200) + " (" + r.AuthorName + ")"
		}
		if a.URL != "" {
			r.AuthorURL = a.URL
		}
	}
	r.Published, r.Updated = postTimes(obj, in.now())
	return in.store.SaveResponse(ctx, r)
}

// ignoreNotFound is err, but nil when what err is about is not found
// (removed meanwhile).
func ignoreNotFound(err error) error {
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil
	}
	return err
}

// parseObject tells which of our listings or announcements an id names.
func (in *Inbox) parseObject(id string) (kind string, num int64, ok bool) {
	u, err := url.Parse(id)
	if err != nil || !SameOrigin(id, in.opt.URLs.Home()) {
		return "", 0, false
	}
	path := strings.TrimPrefix(u.Path, in.opt.URLs.Base.Path)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 {
		return "", 0, false
	}
	num, err = strconv.ParseInt(parts[1], 10, 64)
	if err != nil || num < 1 {
		return "", 0, false
	}
	switch {
	case parts[0] == "listings" && (len(parts) == 2 || parts[2] == "note"):
		return "listing", num, true
	case parts[0] == "announcements" && len(parts) == 2:
		return "announcement", num, true
	}
	return "", 0, false
}

// postHTML is an object's content (or summary), sanitized.
func (in *Inbox) postHTML(obj map[string]any) string {
	html := str(obj["content"])
	if html == "" {
		html = str(obj["summary"])
	}
	return in.opt.Sanitize(clip(html, maxPostHTML))
}

// pageURL is the page of an object: its url (a string or a Link), else its
// id, when it is http(s).
func pageURL(obj map[string]any) string {
	u := urlOf(obj["url"])
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		u = str(obj["id"])
	}
	return u
}

// postTimes reads published and updated, falling back to now.
func postTimes(obj map[string]any, now time.Time) (published, updated time.Time) {
	published = parseTime(str(obj["published"]), now)
	updated = parseTime(str(obj["updated"]), published)
	return published.UTC().Truncate(time.Microsecond), updated.UTC().Truncate(time.Microsecond)
}

func parseTime(s string, fallback time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return fallback
}

// clip cuts s to at most max bytes, on a rune boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// onFlag keeps a report about our actors or objects for the admins.
func (in *Inbox) onFlag(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	var objects []string
	list, ok := m["object"].([]any)
	if !ok {
		list = []any{m["object"]}
	}
	for _, v := range list {
		if id := ap.IDOf(v); id != "" && SameOrigin(id, in.opt.URLs.Home()) && len(objects) < 50 {
			objects = append(objects, id)
		}
	}
	if len(objects) == 0 {
		return nil
	}
	text := clip(str(m["content"]), maxReportText)
	return in.store.CreateReport(ctx, &directory.Report{ActivityID: env.ID, Reporter: env.Actor, Objects: objects,
		Content: text, ReceivedAt: in.now()})
}
