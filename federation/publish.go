package federation

import (
	"context"
	"errors"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Publishing: the domain events that the store writes in the same
// transaction as each change are the outbox. The publisher reads them in
// order after a saved cursor, turns each into activities and queues one
// delivery per activity and distinct inbox, then moves the cursor. A crash
// between the two re-publishes the last events; their deliveries are unique
// by inbox and activity id, so nothing is sent twice and nothing is lost.

const publishCursor = "publish"

// publishBatch is how many events one read takes.
const publishBatch = 100

// publishPoll is how often, at most, the publisher looks for new events:
// the time a change waits before its deliveries are queued. A look is two
// small reads (the cursor, the events after it).
const publishPoll = 100 * time.Millisecond

func (pub *Publisher) publishLoop(ctx context.Context) {
	t := time.NewTicker(min(pub.opt.PollInterval, publishPoll))
	defer t.Stop()
	for {
		if err := pub.PublishPending(ctx); err != nil && ctx.Err() == nil {
			pub.log.ErrorContext(ctx, "publish", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PublishPending publishes every event recorded since the last call.
func (pub *Publisher) PublishPending(ctx context.Context) error {
	pub.mu.Lock()
	defer pub.mu.Unlock()
	if err := pub.watchMurmurationsIndex(ctx); err != nil {
		return err
	}
	after, err := pub.store.Cursor(ctx, publishCursor)
	if err != nil {
		return err
	}
	for {
		events, err := pub.store.EventsAfter(ctx, after, publishBatch)
		if err != nil || len(events) == 0 {
			return err
		}
		start := after
		bctx, err := pub.startBatch(ctx, events)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := pub.publish(bctx, e); err != nil && !pub.skipEvent(ctx, e, err) {
				// Keep what was published, so it is not queued again.
				if after > start {
					err = errors.Join(err, pub.store.SetCursor(ctx, publishCursor, after))
				}
				return err
			}
			after = e.ID
		}
		if err := pub.store.SetCursor(ctx, publishCursor, after); err != nil {
			return err
		}
	}
}

// maxEventAttempts is how often the publisher tries an event that fails
// before it gives up on it, so one bad event cannot stop federation.
const maxEventAttempts = 5

// skipEvent reports whether a failed event is passed over: its entry is
// gone or cannot be published (a later event says what became of it), or
// it failed maxEventAttempts times (logged as an error for the operator).
func (pub *Publisher) skipEvent(ctx context.Context, e directory.Event, err error) bool {
	switch directory.ErrorCode(err) {
	case directory.ENOTFOUND, directory.EINVALID:
		pub.log.InfoContext(ctx, "event not published", "event", e.ID, "type", e.Type, "err", err)
		return true
	}
	if ctx.Err() != nil {
		return false
	}
	if pub.failedEvent != e.ID {
		pub.failedEvent, pub.eventFailures = e.ID, 0
	}
	pub.eventFailures++
	if pub.eventFailures < maxEventAttempts {
		return false
	}
	pub.log.ErrorContext(ctx, "event given up after repeated failures; its followers miss it", "event", e.ID, "type", e.Type, "err", err)
	return true
}

// publish queues the activities of one event. Events of partners' entries
// are theirs to publish.
func (pub *Publisher) publish(ctx context.Context, e directory.Event) error {
	if e.Type == directory.EventListingCreated {
		// Topics announce partners' listings too.
		if err := pub.publishTopics(ctx, e); err != nil {
			return err
		}
	}
	if e.Origin != "" {
		return nil
	}
	if err := pub.publishActivities(ctx, e); err != nil {
		return err
	}
	return pub.queueMurmurations(ctx, e)
}

// publishActivities queues the ActivityPub activities of a local event.
func (pub *Publisher) publishActivities(ctx context.Context, e directory.Event) error {
	switch e.Type {
	case directory.EventEnterpriseCreated:
		// Nobody follows a new enterprise yet: only partners hear of it.
		// Its key is made when it is first needed (see Server.actorKey),
		// not here, so that a bulk import does not make thousands of keys
		// in the way of everyone else's deliveries.
		return pub.publishEnterpriseEntry(ctx, e.EnterpriseHandle, e.At)
	case directory.EventEnterpriseUpdated:
		if err := pub.publishActor(ctx, directory.EnterpriseActorKey(e.EnterpriseHandle), e.At); err != nil {
			return err
		}
		return pub.publishEnterpriseEntry(ctx, e.EnterpriseHandle, e.At)
	case directory.EventActorUpdated:
		return pub.publishActor(ctx, e.Actor, e.At)
	case directory.EventEnterpriseDeleted:
		return pub.publishEnterpriseDeleted(ctx, e)
	case directory.EventListingCreated:
		return pub.publishListingCreated(ctx, e)
	case directory.EventListingUpdated:
		return pub.publishListingChanged(ctx, e)
	case directory.EventListingDeleted:
		return pub.publishListingDeleted(ctx, e.EnterpriseHandle, e.ListingID, e.At)
	case directory.EventAnnouncementCreated:
		return pub.publishAnnouncementCreated(ctx, e)
	case directory.EventAnnouncementUpdated:
		return pub.publishAnnouncementUpdated(ctx, e)
	case directory.EventAnnouncementDeleted:
		return pub.publishAnnouncementDeleted(ctx, e)
	case directory.EventSavedSearchDeleted:
		return pub.publishTopicDeleted(ctx, e)
	}
	return nil
}

// audience is the inboxes of the followers of some of our actors, split
// into coopdir peers and the others (Mastodon and the rest).
type audience struct{ peers, others []string }

func (pub *Publisher) audience(ctx context.Context, actors ...string) (audience, error) {
	rs, err := pub.store.FollowerRecipients(ctx, actors)
	var a audience
	for _, r := range rs {
		if r.Peer {
			a.peers = append(a.peers, r.Inbox)
		} else {
			a.others = append(a.others, r.Inbox)
		}
	}
	return a, err
}

// plan collects deliveries: activity by inbox.
type plan map[string][]outgoing

func (p plan) add(inboxes []string, actor string, activity map[string]any) {
	for _, in := range inboxes {
		p[in] = append(p[in], outgoing{actor: actor, activity: activity})
	}
}

// publishActor sends Update{actor} to the actor's followers: a changed
// profile or a new key. An actor nobody follows has nobody to tell, and its
// document (with the key it holds) is not built.
func (pub *Publisher) publishActor(ctx context.Context, name string, at time.Time) error {
	if unfollowed(ctx, name) {
		return nil
	}
	aud, err := pub.audience(ctx, name)
	if err != nil || len(aud.peers)+len(aud.others) == 0 {
		return err
	}
	ref := actorRef(name)
	doc, err := pub.opt.Server.ActorDocument(ctx, ref)
	if err != nil {
		return err
	}
	id := pub.opt.URLs.ActorIDOf(ref)
	up, err := Update(id, doc, at)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(append(aud.peers, aud.others...), name, up)
	return pub.enqueue(ctx, p)
}

func (pub *Publisher) publishEnterpriseDeleted(ctx context.Context, e directory.Event) error {
	name := directory.EnterpriseActorKey(e.EnterpriseHandle)
	id := pub.opt.URLs.Enterprise(e.EnterpriseHandle).ID
	del, err := Delete(id, id, "Organization", e.At)
	if err != nil {
		return err
	}
	p := plan{}
	aud, err := pub.audience(ctx, name)
	if err != nil {
		return err
	}
	p.add(append(aud.peers, aud.others...), name, del)
	if err := pub.partnerAnnounce(ctx, p, del, e.At, everyPartner); err != nil {
		return err
	}
	if err := pub.enqueue(ctx, p); err != nil {
		return err
	}
	return pub.forgetLocalActor(ctx, name, id)
}

// forgetLocalActor drops the followers of a deleted enterprise and undoes
// its follows, so that a new enterprise taking the handle starts afresh.
func (pub *Publisher) forgetLocalActor(ctx context.Context, name, id string) error {
	for {
		fs, _, err := pub.store.ListFollowers(ctx, name, directory.Page{Page: 1, PerPage: 100})
		if err != nil {
			return err
		}
		for _, f := range fs {
			if _, err := pub.store.DeleteFollower(ctx, name, f.FollowerID); err != nil {
				return err
			}
		}
		if len(fs) < 100 {
			break
		}
	}
	follows, err := pub.store.ListFollowing(ctx, name)
	if err != nil {
		return err
	}
	for _, f := range follows {
		if f.State != directory.FollowRejected {
			undo, err := Undo(ap.FollowRef{ID: f.FollowID, Actor: id, Object: f.TargetID})
			if err != nil {
				return err
			}
			if err := pub.send(ctx, name, f.Inbox, undo); err != nil {
				return err
			}
		}
		if err := pub.store.DeleteFollowing(ctx, f.ID); err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return err
		}
	}
	return nil
}

// listingActors are the key names of the actors that pass a listing on:
// the network and the needs or offers Service.
func listingActors(t directory.ListingType) []string {
	if t == directory.Need {
		return []string{directory.ActorNetwork, directory.ActorNeeds}
	}
	return []string{directory.ActorNetwork, directory.ActorOffers}
}

// publishListingCreated sends Create{Proposal} to coopdir peers and
// Create{Note} to everyone else following the enterprise; the network and
// the needs or offers actor announce it to their followers, in full to
// peers and as a boost of the Note to the others.
func (pub *Publisher) publishListingCreated(ctx context.Context, e directory.Event) error {
	l, err := pub.opt.Service.Listing(ctx, e.ListingID)
	if err != nil {
		return err
	}
	u := pub.opt.URLs
	ent := directory.EnterpriseActorKey(l.EnterpriseHandle)
	createProposal, createNote, err := listingCreates(u, l)
	if err != nil {
		return err
	}
	p := plan{}
	aud, err := pub.audience(ctx, ent)
	if err != nil {
		return err
	}
	p.add(aud.peers, ent, createProposal)
	p.add(aud.others, ent, createNote)
	for _, name := range listingActors(l.Type) {
		if err := pub.planAnnounce(ctx, p, name, createProposal, u.ListingNote(l.ID), e.At); err != nil {
			return err
		}
	}
	share, err := pub.listingShare(ctx, l, nil)
	if err != nil {
		return err
	}
	if err := pub.partnerAnnounce(ctx, p, createProposal, e.At, share); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}

func listingCreates(u URLs, l *directory.Listing) (proposal, note map[string]any, err error) {
	author := u.Enterprise(l.EnterpriseHandle).ID
	prop, nt, err := listingDocuments(u, l)
	if err != nil {
		return nil, nil, err
	}
	if proposal, err = Create(author, prop); err != nil {
		return nil, nil, err
	}
	note, err = Create(author, nt)
	return proposal, note, err
}

// listingDocuments are a listing's two objects: the Proposal for peers and
// the companion Note for everyone else.
func listingDocuments(u URLs, l *directory.Listing) (proposal, note map[string]any, err error) {
	if proposal, err = ListingProposal(u, l); err != nil {
		return nil, nil, err
	}
	note, err = ListingNote(u, l)
	return proposal, note, err
}

// planAnnounce adds the announces of one of our instance actors: the full
// Announce{activity} to peers, Announce{objectID} (a boost) to the others.
func (pub *Publisher) planAnnounce(ctx context.Context, p plan, name string, activity map[string]any, objectID string, at time.Time) error {
	aud, err := pub.audience(ctx, name)
	if err != nil || len(aud.peers)+len(aud.others) == 0 {
		return err
	}
	u := pub.opt.URLs
	id := u.ActorIDOf(actorRef(name))
	if len(aud.peers) > 0 {
		full, err := AnnounceActivity(u, id, activity, at)
		if err != nil {
			return err
		}
		p.add(aud.peers, name, full)
	}
	if len(aud.others) > 0 {
		boost, err := AnnounceObject(u, id, objectID, at)
		if err != nil {
			return err
		}
		p.add(aud.others, name, boost)
	}
	return nil
}

// publishListingChanged sends Update of the Proposal to peers and of the
// Note to the others, to everyone who may have received the listing.
func (pub *Publisher) publishListingChanged(ctx context.Context, e directory.Event) error {
	l, err := pub.opt.Service.Listing(ctx, e.ListingID)
	if err != nil {
		return err
	}
	u := pub.opt.URLs
	author := u.Enterprise(l.EnterpriseHandle).ID
	prop, note, err := listingDocuments(u, l)
	if err != nil {
		return err
	}
	upProp, err := Update(author, prop, e.At)
	if err != nil {
		return err
	}
	upNote, err := Update(author, note, e.At)
	if err != nil {
		return err
	}
	ent := directory.EnterpriseActorKey(l.EnterpriseHandle)
	aud, err := pub.audience(ctx, append(listingActors(l.Type), ent)...)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(aud.peers, ent, upProp)
	p.add(aud.others, ent, upNote)
	delProp, err := Delete(author, u.Listing(l.ID), "Proposal", e.At)
	if err != nil {
		return err
	}
	share, err := pub.listingShare(ctx, l, delProp)
	if err != nil {
		return err
	}
	if err := pub.partnerAnnounce(ctx, p, upProp, e.At, share); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}

// publishListingDeleted sends Delete of the Proposal to peers and of the
// Note to the others: the listing was deleted or has expired.
func (pub *Publisher) publishListingDeleted(ctx context.Context, handle string, id int64, at time.Time) error {
	u := pub.opt.URLs
	author := u.Enterprise(handle).ID
	delProp, err := Delete(author, u.Listing(id), "Proposal", at)
	if err != nil {
		return err
	}
	delNote, err := Delete(author, u.ListingNote(id), "Note", at)
	if err != nil {
		return err
	}
	ent := directory.EnterpriseActorKey(handle)
	aud, err := pub.audience(ctx, ent, directory.ActorNetwork, directory.ActorNeeds, directory.ActorOffers)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(aud.peers, ent, delProp)
	p.add(aud.others, ent, delNote)
	if err := pub.partnerAnnounce(ctx, p, delProp, at, everyPartner); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}

// publishAnnouncementCreated sends Create{Note} to the enterprise's
// followers, and the network announces it.
func (pub *Publisher) publishAnnouncementCreated(ctx context.Context, e directory.Event) error {
	a, err := pub.opt.Service.Announcement(ctx, e.AnnouncementID)
	if err != nil {
		return err
	}
	u := pub.opt.URLs
	c, err := CreateAnnouncement(u, a)
	if err != nil {
		return err
	}
	ent := directory.EnterpriseActorKey(a.EnterpriseHandle)
	aud, err := pub.audience(ctx, ent)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(append(aud.peers, aud.others...), ent, c)
	if err := pub.planAnnounce(ctx, p, directory.ActorNetwork, c, u.Announcement(a.ID), e.At); err != nil {
		return err
	}
	share, err := pub.announcementShare(ctx, a, nil)
	if err != nil {
		return err
	}
	if err := pub.partnerAnnounce(ctx, p, c, e.At, share); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}

func (pub *Publisher) publishAnnouncementUpdated(ctx context.Context, e directory.Event) error {
	a, err := pub.opt.Service.Announcement(ctx, e.AnnouncementID)
	if err != nil {
		return err
	}
	u := pub.opt.URLs
	note, err := AnnouncementNote(u, a)
	if err != nil {
		return err
	}
	up, err := Update(u.Enterprise(a.EnterpriseHandle).ID, note, e.At)
	if err != nil {
		return err
	}
	ent := directory.EnterpriseActorKey(a.EnterpriseHandle)
	del, err := Delete(u.Enterprise(a.EnterpriseHandle).ID, u.Announcement(a.ID), "Note", e.At)
	if err != nil {
		return err
	}
	share, err := pub.announcementShare(ctx, a, del)
	if err != nil {
		return err
	}
	return pub.sendToFollowers(ctx, ent, up, e.At, share, ent, directory.ActorNetwork)
}

func (pub *Publisher) publishAnnouncementDeleted(ctx context.Context, e directory.Event) error {
	u := pub.opt.URLs
	del, err := Delete(u.Enterprise(e.EnterpriseHandle).ID, u.Announcement(e.AnnouncementID), "Note", e.At)
	if err != nil {
		return err
	}
	// The network's followers received the network's announce of it.
	ent := directory.EnterpriseActorKey(e.EnterpriseHandle)
	return pub.sendToFollowers(ctx, ent, del, e.At, everyPartner, ent, directory.ActorNetwork)
}

// sendToFollowers sends one activity of our actor sender, the same to
// peers and others, to the followers of actors, and announces it to the
// partners share names.
func (pub *Publisher) sendToFollowers(ctx context.Context, sender string, activity map[string]any, at time.Time, share partnerShare, actors ...string) error {
	aud, err := pub.audience(ctx, actors...)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(append(aud.peers, aud.others...), sender, activity)
	if err := pub.partnerAnnounce(ctx, p, activity, at, share); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}
