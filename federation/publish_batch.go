package federation

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// A batch of events (see PublishPending) shares what it reads of the
// audiences, so that a bulk import, whose events mostly have nobody to
// tell, does not read them event by event: the partners' inboxes are read
// once per batch, and the followers of every actor whose profile the batch
// changes are read at once, so that a batch of actors nobody follows costs
// one read.
//
// Reading them once the batch's events are read is as good as reading
// them for each event: every change those events announce was stored
// before, so a follower that comes after the read saw the change when it
// fetched what it follows, and a partner accepted after it gets the change
// in the backfill that follows its acceptance.

// batch holds what one batch of events read of its audiences.
type batch struct {
	partners     []partnerTarget // the partners' inboxes with their export scopes
	partnersRead bool
	// unfollowed are actors known to have no followers.
	unfollowed map[string]bool
}

type batchKey struct{}

// batchOf returns the batch ctx carries, or nil.
func batchOf(ctx context.Context) *batch {
	b, _ := ctx.Value(batchKey{}).(*batch)
	return b
}

// startBatch returns ctx carrying a batch for events, with the actors of
// their profile changes checked for followers at once.
func (pub *Publisher) startBatch(ctx context.Context, events []directory.Event) (context.Context, error) {
	b := &batch{unfollowed: map[string]bool{}}
	var profiles []string
	for _, e := range events {
		if name := profileChanged(e); name != "" {
			profiles = append(profiles, name)
		}
	}
	if len(profiles) > 1 {
		aud, err := pub.audience(ctx, profiles...)
		if err != nil {
			return nil, err
		}
		if len(aud.peers)+len(aud.others) == 0 {
			for _, name := range profiles {
				b.unfollowed[name] = true
			}
		}
	}
	return context.WithValue(ctx, batchKey{}, b), nil
}

// profileChanged is the key name of the actor whose document e changes
// (see publish), or "".
func profileChanged(e directory.Event) string {
	if e.Origin != "" {
		return ""
	}
	switch e.Type {
	case directory.EventEnterpriseUpdated:
		return directory.EnterpriseActorKey(e.EnterpriseHandle)
	case directory.EventActorUpdated:
		return e.Actor
	}
	return ""
}

// unfollowed reports whether the batch of ctx found that our actor name
// has no followers.
func unfollowed(ctx context.Context, name string) bool {
	b := batchOf(ctx)
	return b != nil && b.unfollowed[name]
}

// partnerTarget is a partner that imports our directory: the inbox we
// send it our changes at, and what it may read of them (its export scope).
type partnerTarget struct {
	inbox string
	scope directory.Scope
}

// partnerTargets are the followers of our instance actor, the partners
// that import our directory, each with its export scope (a follower that
// is no partner any more gets the empty one); read once per batch.
func (pub *Publisher) partnerTargets(ctx context.Context) ([]partnerTarget, error) {
	b := batchOf(ctx)
	if b != nil && b.partnersRead {
		return b.partners, nil
	}
	var out []partnerTarget
	rs, err := pub.store.FollowerRecipients(ctx, []string{directory.ActorInstance})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	ps, err := pub.store.ListPartners(ctx)
	if err != nil {
		return nil, err
	}
	scopes := map[string]directory.Scope{}
	for _, p := range ps {
		scopes[p.Host] = p.ExportScope
	}
	for _, r := range rs {
		host, _ := Host(r.Inbox)
		out = append(out, partnerTarget{inbox: r.Inbox, scope: scopes[host]})
	}
	if b != nil {
		b.partners, b.partnersRead = out, true
	}
	return out, nil
}
