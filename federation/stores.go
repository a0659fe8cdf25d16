package federation

import (
	"context"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The store interfaces of the parts of a Node: each names only what its part
// uses, so that a reader sees what a part touches. Every method is the one of
// the same name in directory.FederationStore, directory.PartnerStore or
// directory.EventStore; federation.Store holds them all.

// inboxStore is what the Inbox reads and writes: activity ids, followers,
// the follows of our enterprises, the feed and responses, reports and
// delivery health.
type inboxStore interface {
	ActivityApplied(ctx context.Context, id string) error
	ClaimActivity(ctx context.Context, id string, at, until time.Time) (directory.Claim, error)
	CreateReport(ctx context.Context, r *directory.Report) error
	DeleteFeedPost(ctx context.Context, objectID, author string) (bool, error)
	DeleteFollower(ctx context.Context, actor, followerID string) (bool, error)
	DeleteFollowersByInbox(ctx context.Context, inbox string) (int, error)
	DeleteFollowing(ctx context.Context, id int64) error
	DeleteResponse(ctx context.Context, objectID, author string) (bool, error)
	DeliverySucceeded(ctx context.Context, host string) error
	FindDeliveryHost(ctx context.Context, host string) (*directory.DeliveryHost, error)
	FindFollowingByFollowID(ctx context.Context, followID string) (*directory.Following, error)
	FindRemoteActor(ctx context.Context, id string) (*directory.RemoteActor, error)
	FollowingOf(ctx context.Context, targetID string) ([]*directory.Following, error)
	ReleaseActivity(ctx context.Context, id string) error
	SaveFeedPost(ctx context.Context, p *directory.FeedPost) error
	SaveFollower(ctx context.Context, f *directory.Follower) error
	SaveResponse(ctx context.Context, r *directory.Response) error
	SetFollowingState(ctx context.Context, id int64, state directory.FollowState, at time.Time) error
	UpdateFeedPost(ctx context.Context, p *directory.FeedPost) (bool, error)
}

// publisherStore is what the Publisher reads and writes: the domain events
// and its cursor, our actors' followers and follows, expiring listings and
// old activity ids.
type publisherStore interface {
	Cursor(ctx context.Context, name string) (int64, error)
	DeleteFollower(ctx context.Context, actor, followerID string) (bool, error)
	DeleteFollowing(ctx context.Context, id int64) error
	EventsAfter(ctx context.Context, after int64, limit int) ([]directory.Event, error)
	FollowerRecipients(ctx context.Context, actors []string) ([]directory.Recipient, error)
	ListFollowers(ctx context.Context, actor string, p directory.Page) ([]*directory.Follower, int, error)
	ListFollowing(ctx context.Context, actor string) ([]*directory.Following, error)
	ListingsExpiring(ctx context.Context, afterDay, throughDay string) ([]*directory.Listing, error)
	ListPartners(ctx context.Context) ([]*directory.Partner, error)
	PruneActivities(ctx context.Context, before time.Time) (int, error)
	SetCursor(ctx context.Context, name string, value int64) error
}

// delivererStore is what the Deliverer reads and writes: each host's
// delivery health (failures, pauses and probes), and the followers behind
// an inbox that is gone.
type delivererStore interface {
	DeleteFollowersByInbox(ctx context.Context, inbox string) (int, error)
	ClaimDeliveryProbe(ctx context.Context, host string, at, until time.Time) (*directory.DeliveryHost, bool, error)
	DeliveryFailed(ctx context.Context, host string, at time.Time, policy directory.DeliveryPolicy) (*directory.DeliveryHost, error)
	DeliverySucceeded(ctx context.Context, host string) error
	FindDeliveryHost(ctx context.Context, host string) (*directory.DeliveryHost, error)
}

// partnerStore is what Partners reads and writes: the partnerships, the
// copies of partners' entries, and the instance actor's followers (the
// partners we send to).
type partnerStore interface {
	ChangePartner(ctx context.Context, id int64, change func(p *directory.Partner) error) (*directory.Partner, error)
	DeleteFollower(ctx context.Context, actor, followerID string) (bool, error)
	DeleteRemoteAnnouncement(ctx context.Context, origin, remoteID string) (bool, error)
	DeleteRemoteEnterprise(ctx context.Context, origin, remoteID string) (bool, error)
	DeleteRemoteListing(ctx context.Context, origin, remoteID string) (bool, error)
	FindPartner(ctx context.Context, id int64) (*directory.Partner, error)
	FindPartnerByHost(ctx context.Context, host string) (*directory.Partner, error)
	FindRemoteEnterprise(ctx context.Context, origin, remoteID string) (*directory.Enterprise, error)
	ImportRemote(ctx context.Context, origin string, enterprises []*directory.Enterprise, listings []*directory.Listing) (directory.RemoteImport, error)
	ImportRemoteAnnouncements(ctx context.Context, origin string, as []*directory.Announcement) (directory.RemoteImport, error)
	ListPartners(ctx context.Context) ([]*directory.Partner, error)
	PurgeOrigin(ctx context.Context, origin string) (*directory.DomainPurge, error)
	RecordEvent(ctx context.Context, e *directory.Event) error
	SaveFollower(ctx context.Context, f *directory.Follower) error
	SweepOrigin(ctx context.Context, origin string, set directory.SweepSet) (*directory.DomainPurge, error)
}

// followStore is what the Node writes for the follows our enterprises send.
type followStore interface {
	CreateFollowing(ctx context.Context, f *directory.Following) error
	DeleteFollowing(ctx context.Context, id int64) error
}

var (
	_ inboxStore     = Store(nil)
	_ publisherStore = Store(nil)
	_ delivererStore = Store(nil)
	_ partnerStore   = Store(nil)
	_ followStore    = Store(nil)
)
