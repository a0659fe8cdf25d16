package federation

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Topics: a saved search (directory.SavedSearch) is a Service actor at
// /topics/{handle}, @handle@host, that announces each new listing its
// search finds, local or a partner's, as a boost (Announce of the
// listing's Note, the form Mastodon shows), and to coopdir peers the
// full Announce{Create{Proposal}} of a local listing (Announce of the
// Proposal's id for a partner's). Once deleted, it sends Delete of itself
// to its followers and forgets them; its handle stays taken.

// KindTopic is the ActorRef kind of a saved search.
const KindTopic = "topic"

// topicsPath is where the saved searches' actors live.
const topicsPath = "/topics/"

// Topic returns the ids of the actor of the saved search with handle.
func (u URLs) Topic(handle string) ActorURLs {
	return actorURLs(u.abs(topicsPath + url.PathEscape(handle)))
}

// parseTopicPath reads /topics/{handle}.
func parseTopicPath(path string) (ActorRef, bool) {
	h, ok := strings.CutPrefix(path, topicsPath)
	if !ok || h == "" || strings.Contains(h, "/") {
		return ActorRef{}, false
	}
	return ActorRef{KindTopic, h}, true
}

// TopicActor is the Service actor of a saved search.
func TopicActor(u URLs, ss *directory.SavedSearch, n NetworkInfo, publicKeyPEM string) (map[string]any, error) {
	urls := u.Topic(ss.Handle)
	summary := ss.Summary
	if summary == "" {
		summary = "Every new listing of " + n.Name + " and its partners that this search finds."
	}
	a := ourActor(u, urls, ap.Profile{
		Type: "Service", Username: ss.Handle, Name: ss.Name,
		SummaryHTML: paragraph(summary + " Follow this account to see them all."),
		URL:         urls.ID, Published: ss.CreatedAt,
	}, publicKeyPEM)
	a.Discoverable = true
	return a.Document()
}

// topicDocument is the actor document of the live saved search handle.
func (s *Server) topicDocument(ctx context.Context, handle string) (map[string]any, error) {
	ss, err := s.svc.SavedSearch(ctx, handle)
	if err != nil {
		return nil, err
	}
	key, err := s.keys.Key(ctx, directory.SavedSearchActorKey(ss.Handle), time.Time{})
	if err != nil {
		return nil, err
	}
	n, err := s.networkInfo(ctx)
	if err != nil {
		return nil, err
	}
	return TopicActor(s.urls, ss, n, key.PublicPEM)
}

// topicRoutes adds the paths of the saved searches' actors.
func (s *Server) topicRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+topicsPath+"{handle}", s.topicActor)
	mux.HandleFunc("GET "+topicsPath+"{handle}/outbox", s.topicCollection(outboxOfActor))
	mux.HandleFunc("GET "+topicsPath+"{handle}/featured", s.topicCollection(featuredOfActor))
	mux.HandleFunc("GET "+topicsPath+"{handle}/following", s.topicCollection(func(a ActorURLs) string { return a.Following }))
	mux.HandleFunc("GET "+topicsPath+"{handle}/followers", s.topicFollowers)
	mux.HandleFunc("POST "+topicsPath+"{handle}/inbox", s.serveInbox)
}

// topicActor answers GET /topics/{handle}: 410 Gone for a deleted one.
func (s *Server) topicActor(w http.ResponseWriter, r *http.Request) {
	handle := r.PathValue("handle")
	if gone, err := s.svc.SavedSearchHandleTaken(r.Context(), handle); err == nil && gone {
		if _, err := s.svc.SavedSearch(r.Context(), handle); directory.ErrorCode(err) == directory.ENOTFOUND {
			http.Error(w, "this topic was deleted", http.StatusGone)
			return
		}
	}
	doc, err := s.topicDocument(r.Context(), handle)
	s.writeDocument(w, r, doc, err)
}

// topicRef returns the ref of the live saved search of the path.
func (s *Server) topicRef(r *http.Request) (ActorRef, error) {
	ss, err := s.svc.SavedSearch(r.Context(), r.PathValue("handle"))
	if err != nil {
		return ActorRef{}, err
	}
	return ActorRef{KindTopic, ss.Handle}, nil
}

func (s *Server) topicCollection(pick actorCollection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref, err := s.topicRef(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.emptyCollection(ref, pick)(w, r)
	}
}

func (s *Server) topicFollowers(w http.ResponseWriter, r *http.Request) {
	ref, err := s.topicRef(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.followers(w, r, ref)
}

// topicExists reports whether a live saved search has handle, for
// WebFinger and the inbox.
func (s *Server) topicExists(ctx context.Context, handle string) (bool, error) {
	_, err := s.svc.SavedSearch(ctx, handle)
	switch directory.ErrorCode(err) {
	case "":
		return true, nil
	case directory.ENOTFOUND:
		return false, nil
	}
	return false, err
}

// publishTopics announces a new listing, local or a partner's, from
// every saved search that finds it.
func (pub *Publisher) publishTopics(ctx context.Context, e directory.Event) error {
	l, err := pub.opt.Service.Listing(ctx, e.ListingID)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil // gone already
	}
	if err != nil {
		return err
	}
	topics, err := pub.opt.Service.SavedSearchesMatching(ctx, l)
	if err != nil || len(topics) == 0 {
		return err
	}
	u := pub.opt.URLs
	p := plan{}
	for _, ss := range topics {
		name := directory.SavedSearchActorKey(ss.Handle)
		if l.Origin == "" {
			createProposal, _, err := listingCreates(u, l)
			if err == nil {
				err = pub.planAnnounce(ctx, p, name, createProposal, u.ListingNote(l.ID), e.At)
			}
			if err != nil {
				return err
			}
			continue
		}
		if err := pub.planBoost(ctx, p, name, l.RemoteID, l.RemoteID+"/note", e.At); err != nil {
			return err
		}
	}
	return pub.enqueue(ctx, p)
}

// planBoost adds the announces of a partner's listing by our actor name:
// of its Proposal (by id) to peers, of its Note to the others.
func (pub *Publisher) planBoost(ctx context.Context, p plan, name, proposalID, noteID string, at time.Time) error {
	aud, err := pub.audience(ctx, name)
	if err != nil || len(aud.peers)+len(aud.others) == 0 {
		return err
	}
	id := pub.opt.URLs.ActorIDOf(actorRef(name))
	for _, to := range []struct {
		inboxes []string
		object  string
	}{{aud.peers, proposalID}, {aud.others, noteID}} {
		if len(to.inboxes) == 0 {
			continue
		}
		boost, err := AnnounceObject(pub.opt.URLs, id, to.object, at)
		if err != nil {
			return err
		}
		p.add(to.inboxes, name, boost)
	}
	return nil
}

// publishTopicDeleted sends Delete of a deleted saved search's actor to
// its followers, then forgets them.
func (pub *Publisher) publishTopicDeleted(ctx context.Context, e directory.Event) error {
	handle, ok := directory.SavedSearchHandleOf(e.Actor)
	if !ok {
		return nil
	}
	id := pub.opt.URLs.Topic(handle).ID
	del, err := Delete(id, id, "Service", e.At)
	if err != nil {
		return err
	}
	aud, err := pub.audience(ctx, e.Actor)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(append(aud.peers, aud.others...), e.Actor, del)
	if err := pub.enqueue(ctx, p); err != nil {
		return err
	}
	return pub.forgetLocalActor(ctx, e.Actor, id)
}
