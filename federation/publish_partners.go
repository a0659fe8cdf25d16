package federation

import (
	"context"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Publishing to partners. Our instance actor announces every change of our
// directory to its followers, who are the partners whose requests our admin
// approved (see partner_sync.go for the receiving side).

// partnerAnnounce plans the announce of activity by our instance actor to
// every partner that imports our directory.
func (pub *Publisher) partnerAnnounce(ctx context.Context, p plan, activity map[string]any, at time.Time) error {
	inboxes, err := pub.partnerInboxes(ctx)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	full, err := AnnounceActivity(pub.opt.URLs, pub.opt.URLs.Instance().ID, activity, at)
	if err != nil {
		return err
	}
	p.add(inboxes, directory.ActorInstance, full)
	return nil
}

// partnerInboxes are the inboxes of the followers of our instance actor:
// the partners that import our directory. Within one batch of events (see
// withPartnerCache) they are read once.
func (pub *Publisher) partnerInboxes(ctx context.Context) ([]string, error) {
	c, _ := ctx.Value(partnerCacheKey{}).(*partnerCache)
	if c != nil && c.read {
		return c.inboxes, nil
	}
	aud, err := pub.audience(ctx, directory.ActorInstance)
	if err != nil {
		return nil, err
	}
	inboxes := append(aud.peers, aud.others...)
	if c != nil {
		c.inboxes, c.read = inboxes, true
	}
	return inboxes, nil
}

// partnerCache keeps the partners' inboxes for one batch of events, so
// that a batch of a bulk import (every event an enterprise's entry for the
// partners) reads them once, not once an event. Reading them once the
// batch's events are read is as good as reading them for each: every
// change those events announce was stored before, so a partner that
// follows after the read gets it in the backfill that follows its
// acceptance.
type partnerCache struct {
	inboxes []string
	read    bool
}

type partnerCacheKey struct{}

// withPartnerCache returns ctx with an empty partnerCache for one batch.
func withPartnerCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, partnerCacheKey{}, &partnerCache{})
}

// publishEnterpriseEntry sends partners the entry of a new or changed
// enterprise. Without partners there is nothing to build.
func (pub *Publisher) publishEnterpriseEntry(ctx context.Context, handle string, at time.Time) error {
	inboxes, err := pub.partnerInboxes(ctx)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	e, err := pub.opt.Service.Enterprise(ctx, handle)
	if err != nil {
		return err
	}
	entry, err := EnterpriseEntry(pub.opt.URLs, e)
	if err != nil {
		return err
	}
	up, err := Update(entry["id"].(string), entry, at)
	if err != nil {
		return err
	}
	full, err := AnnounceActivity(pub.opt.URLs, pub.opt.URLs.Instance().ID, up, at)
	if err != nil {
		return err
	}
	p := plan{}
	p.add(inboxes, directory.ActorInstance, full)
	return pub.enqueue(ctx, p)
}
