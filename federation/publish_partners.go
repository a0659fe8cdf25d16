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
