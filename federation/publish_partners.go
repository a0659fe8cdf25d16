package federation

import (
	"context"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Publishing to partners. Our instance actor announces every change of our
// directory to its followers, who are the partners whose requests our admin
// approved (see partner_sync.go for the receiving side). A partner's export
// scope (directory.Partner.ExportScope) limits what it is sent: an entry it
// may not read is not announced to it, and a change that takes an entry out
// of its scope is announced as the entry's Delete.

// partnerShare says what a change is to the partners: allows reports
// whether a partner with a given export scope may read the entry (nil:
// every partner may), and gone is the Delete announced instead to those
// that may not (nil: nothing is).
type partnerShare struct {
	allows func(directory.Scope) bool
	gone   map[string]any
}

// everyPartner shares a change with every partner (a Delete, which only
// removes what a partner holds).
var everyPartner = partnerShare{}

// partnerAnnounce plans the announce of activity by our instance actor to
// every partner that imports our directory and may read it (see
// partnerShare).
func (pub *Publisher) partnerAnnounce(ctx context.Context, p plan, activity map[string]any, at time.Time, share partnerShare) error {
	targets, err := pub.partnerTargets(ctx)
	if err != nil || len(targets) == 0 {
		return err
	}
	// The announce of each form is built once, when a partner needs it.
	docs := map[bool]map[string]any{}
	for _, t := range targets {
		allowed := share.allows == nil || t.scope.IsEmpty() || share.allows(t.scope)
		send := activity
		if !allowed {
			if send = share.gone; send == nil {
				continue
			}
		}
		if docs[allowed] == nil {
			if docs[allowed], err = AnnounceActivity(pub.opt.URLs, pub.opt.URLs.Instance().ID, send, at); err != nil {
				return err
			}
		}
		p.add([]string{t.inbox}, directory.ActorInstance, docs[allowed])
	}
	return nil
}

// listingShare shares a listing with the partners whose export scope
// allows it; gone is what the others get.
func (pub *Publisher) listingShare(ctx context.Context, l *directory.Listing, gone map[string]any) (partnerShare, error) {
	e, err := pub.opt.Service.Enterprise(ctx, l.EnterpriseHandle)
	if err != nil {
		return partnerShare{}, err
	}
	return partnerShare{allows: func(s directory.Scope) bool { return s.AllowsListing(l, e) }, gone: gone}, nil
}

// announcementShare shares an announcement with the partners whose export
// scope allows its enterprise; gone is what the others get.
func (pub *Publisher) announcementShare(ctx context.Context, a *directory.Announcement, gone map[string]any) (partnerShare, error) {
	e, err := pub.opt.Service.Enterprise(ctx, a.EnterpriseHandle)
	if err != nil {
		return partnerShare{}, err
	}
	return partnerShare{allows: func(s directory.Scope) bool { return s.AllowsAnnouncement(e) }, gone: gone}, nil
}

// publishEnterpriseEntry sends partners the entry of a new or changed
// enterprise; those whose export scope leaves it out get its Delete.
// Without partners there is nothing to build.
func (pub *Publisher) publishEnterpriseEntry(ctx context.Context, handle string, at time.Time) error {
	targets, err := pub.partnerTargets(ctx)
	if err != nil || len(targets) == 0 {
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
	id := entry["id"].(string)
	del, err := Delete(id, id, "Organization", at)
	if err != nil {
		return err
	}
	p := plan{}
	share := partnerShare{allows: func(s directory.Scope) bool { return s.AllowsEnterprise(e) }, gone: del}
	if err := pub.partnerAnnounce(ctx, p, up, at, share); err != nil {
		return err
	}
	return pub.enqueue(ctx, p)
}
