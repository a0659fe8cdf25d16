package directory

import (
	"context"
	"strconv"
	"time"
)

// The federation state the directory keeps for the federation package:
// who follows our actors, whom our enterprises follow, what they received
// (feed posts, replies, reports), what we know of remote actors and hosts,
// and which domains are blocked. The federation package speaks ActivityPub;
// these are the plain records it stores.

// Local actor names, as used in Follower.Actor, Following.Actor and
// ActorKey.Actor: EnterpriseActorKey(handle) for an enterprise, or one of
// these for the instance's own actors.
const (
	ActorNetwork  = "network"
	ActorInstance = "instance"
	ActorNeeds    = "needs"
	ActorOffers   = "offers"
)

// Follower is a remote actor that follows one of our actors.
type Follower struct {
	Actor       string    `json:"-"`            // our actor (see ActorNetwork)
	FollowerID  string    `json:"id"`           // the remote actor's id
	Inbox       string    `json:"inbox"`        // its own inbox
	SharedInbox string    `json:"shared_inbox"` // its server's shared inbox, "" when none
	FollowID    string    `json:"follow_id"`    // the id of its Follow activity
	Peer        bool      `json:"peer"`         // a coopdir server (gets the full Announce form)
	CreatedAt   time.Time `json:"created_at"`
}

// DeliveryInbox returns where an activity for f goes: the shared inbox when
// there is one, else its own inbox.
func (f *Follower) DeliveryInbox() string {
	if f.SharedInbox != "" {
		return f.SharedInbox
	}
	return f.Inbox
}

// Recipient is one distinct inbox an activity is delivered to.
type Recipient struct {
	Inbox string
	Peer  bool // at least one follower behind it runs coopdir
}

// FollowState is the state of a follow request one of our actors sent.
type FollowState string

// The states of a follow request.
const (
	FollowPending  FollowState = "pending"
	FollowAccepted FollowState = "accepted"
	FollowRejected FollowState = "rejected"
)

// CheckFollowState refuses a state that is not one of the states of a
// follow request. EINVALID.
func CheckFollowState(s FollowState) error {
	switch s {
	case FollowPending, FollowAccepted, FollowRejected:
		return nil
	}
	return Errorf(EINVALID, "unknown follow state %q", s)
}

// Following is a remote actor that one of our actors follows (or asked to).
type Following struct {
	ID       int64       `json:"id"`
	Actor    string      `json:"-"`       // our actor (EnterpriseActorKey(handle) or ActorInstance)
	TargetID string      `json:"actor"`   // the remote actor's id
	Account  string      `json:"account"` // its name@host
	Name     string      `json:"name"`    // its display name, as fetched
	URL      string      `json:"url"`     // its profile page
	Inbox    string      `json:"-"`       // its inbox (Follow and Undo go there)
	FollowID string      `json:"-"`       // the id of our Follow activity
	State    FollowState `json:"state"`
	// CreatedAt is when we asked; UpdatedAt when the state last changed.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// FeedPost is a post received from an actor one of our actors follows:
// its own Create, or an Announce (boost) of someone else's post.
type FeedPost struct {
	ID        int64     `json:"id"`
	ObjectID  string    `json:"object"`         // the post's id
	Source    string    `json:"source"`         // the followed actor that sent it
	Author    string    `json:"author"`         // the post's author (the source unless announced)
	Type      string    `json:"type"`           // Note, Article, Proposal, …
	Name      string    `json:"name,omitempty"` // title, when the post has one
	Content   string    `json:"content_html"`   // sanitized HTML
	URL       string    `json:"url,omitempty"`  // its page
	InReplyTo string    `json:"in_reply_to,omitempty"`
	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated"`
}

// Response is a remote reply to one of our listings or announcements: how a
// neighbour answers a need. Its editors see it beside the entry.
type Response struct {
	ID             int64     `json:"id"`
	ObjectID       string    `json:"object"` // the reply's id
	EnterpriseID   int64     `json:"-"`
	ListingID      int64     `json:"listing_id,omitempty"`
	AnnouncementID int64     `json:"announcement_id,omitempty"`
	Author         string    `json:"author"`      // actor id
	AuthorName     string    `json:"author_name"` // display name or name@host
	AuthorURL      string    `json:"author_url"`  // profile page
	Content        string    `json:"content_html"`
	URL            string    `json:"url,omitempty"`
	Published      time.Time `json:"published"`
	Updated        time.Time `json:"updated"`
}

// Report is a Flag received from another server: a report about some of our
// actors or objects, for an admin to read.
type Report struct {
	ID         int64     `json:"id"`
	ActivityID string    `json:"activity"`
	Reporter   string    `json:"reporter"` // the actor that sent it (often an instance actor)
	Objects    []string  `json:"objects"`  // what it reports: our actors and objects
	Content    string    `json:"content"`  // the reason, plain text
	ReceivedAt time.Time `json:"received_at"`
	Resolved   bool      `json:"resolved"`
}

// RemoteActor is what we keep of a remote actor's document: where to deliver
// to it, how to verify it, what to call it.
type RemoteActor struct {
	ID           string
	Type         string
	Username     string // preferredUsername
	Name         string
	URL          string // profile page
	Inbox        string
	SharedInbox  string
	KeyID        string
	PublicKeyPEM string
	Peer         bool // runs coopdir
	FetchedAt    time.Time
}

// DomainBlock is a remote domain (and its subdomains) this instance refuses.
type DomainBlock struct {
	Domain    string    `json:"domain"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Claim is the answer of ClaimActivity: whether the inbox applies an
// incoming activity now.
type Claim int

// The answers of ClaimActivity.
const (
	// ClaimNew means the id is new, or the lease of an earlier claim ran
	// out (the process that held it died): the caller applies the activity.
	ClaimNew Claim = iota + 1
	// ClaimApplied means the activity was applied before: a duplicate, to
	// drop.
	ClaimApplied
	// ClaimBusy means another request holds a lease on the id that has not
	// run out: the sender should try again later.
	ClaimBusy
)

// String names c, for logs and test failures.
func (c Claim) String() string {
	switch c {
	case ClaimNew:
		return "new"
	case ClaimApplied:
		return "applied"
	case ClaimBusy:
		return "busy"
	}
	return "Claim(" + strconv.Itoa(int(c)) + ")"
}

// FederationStore keeps the federation state. Every method is one
// transaction. Remote ids are stored as given (normalised by the caller).
type FederationStore interface {
	// SaveFollower adds f, or updates the follower with the same Actor and
	// FollowerID.
	SaveFollower(ctx context.Context, f *Follower) error
	// DeleteFollower removes followerID from actor's followers and reports
	// whether it was there.
	DeleteFollower(ctx context.Context, actor, followerID string) (bool, error)
	// DeleteFollowersByInbox removes every follower whose inbox or shared
	// inbox is inbox (that inbox answered 410 Gone) and returns how many.
	DeleteFollowersByInbox(ctx context.Context, inbox string) (int, error)
	// ListFollowers returns a page of actor's followers, oldest first, and
	// their total.
	ListFollowers(ctx context.Context, actor string, p Page) ([]*Follower, int, error)
	// FollowerRecipients returns the distinct delivery inboxes (shared inbox
	// when there is one) of the followers of any of actors, sorted.
	FollowerRecipients(ctx context.Context, actors []string) ([]Recipient, error)

	// CreateFollowing inserts f and sets f.ID. ECONFLICT when f.Actor
	// already follows (or asked to follow) f.TargetID.
	CreateFollowing(ctx context.Context, f *Following) error
	// FindFollowing returns the follow with id. ENOTFOUND.
	FindFollowing(ctx context.Context, id int64) (*Following, error)
	// FindFollowingByFollowID returns the follow whose Follow activity has
	// this id. ENOTFOUND.
	FindFollowingByFollowID(ctx context.Context, followID string) (*Following, error)
	// ListFollowing returns every follow of actor, newest first.
	ListFollowing(ctx context.Context, actor string) ([]*Following, error)
	// CountFollowing counts actor's accepted follows.
	CountFollowing(ctx context.Context, actor string) (int, error)
	// FollowingOf returns the accepted follows whose target is targetID.
	FollowingOf(ctx context.Context, targetID string) ([]*Following, error)
	// SetFollowingState changes the state of follow id at time at.
	// ENOTFOUND.
	SetFollowingState(ctx context.Context, id int64, state FollowState, at time.Time) error
	// DeleteFollowing removes follow id. ENOTFOUND.
	DeleteFollowing(ctx context.Context, id int64) error

	// SaveFeedPost stores p, or updates the post with the same ObjectID
	// when p.Author is its author (its first source stays, so a boost by
	// someone else does not take it out of a feed); sets p.ID.
	SaveFeedPost(ctx context.Context, p *FeedPost) error
	// UpdateFeedPost changes the stored post p.ObjectID written by
	// p.Author (type, name, content, url, in-reply-to, updated; its source
	// and published stay) and reports whether there was one.
	UpdateFeedPost(ctx context.Context, p *FeedPost) (bool, error)
	// DeleteFeedPost removes the post objectID written by author and
	// reports whether it was there.
	DeleteFeedPost(ctx context.Context, objectID, author string) (bool, error)
	// ListFeed returns the posts whose source actor follows (accepted),
	// newest published first, and their total.
	ListFeed(ctx context.Context, actor string, p Page) ([]*FeedPost, int, error)

	// SaveResponse stores r, or updates the response with the same
	// ObjectID when r.Author is its author; sets r.ID.
	SaveResponse(ctx context.Context, r *Response) error
	// DeleteResponse removes the response objectID written by author and
	// reports whether it was there.
	DeleteResponse(ctx context.Context, objectID, author string) (bool, error)
	// ListResponses returns the responses to enterprise's listings and
	// announcements, newest first, and their total.
	ListResponses(ctx context.Context, enterpriseID int64, p Page) ([]*Response, int, error)

	// CreateReport inserts r and sets r.ID; a report with the same
	// ActivityID is kept once (the second insert changes nothing).
	CreateReport(ctx context.Context, r *Report) error
	// ListReports returns the unresolved reports (or every report, with
	// all), newest first.
	ListReports(ctx context.Context, all bool) ([]*Report, error)
	// ResolveReport marks report id resolved. ENOTFOUND.
	ResolveReport(ctx context.Context, id int64) error

	// ClaimActivity claims an incoming activity id at time at with a lease
	// until until, in one step: a new id, or one whose lease ran out before
	// at, is ClaimNew (the lease is now the caller's); an applied one is
	// ClaimApplied; one under another unexpired lease is ClaimBusy.
	ClaimActivity(ctx context.Context, id string, at, until time.Time) (Claim, error)
	// ActivityApplied marks a claimed activity id applied: from then on it
	// is ClaimApplied until pruned.
	ActivityApplied(ctx context.Context, id string) error
	// ReleaseActivity forgets an activity id whose processing failed, so a
	// retry by the sender is applied.
	ReleaseActivity(ctx context.Context, id string) error
	// PruneActivities forgets activity ids recorded before t.
	PruneActivities(ctx context.Context, before time.Time) (int, error)

	// SaveRemoteActor stores a, replacing what was kept of a.ID.
	SaveRemoteActor(ctx context.Context, a *RemoteActor) error
	// FindRemoteActor returns the actor with id. ENOTFOUND.
	FindRemoteActor(ctx context.Context, id string) (*RemoteActor, error)
	// FindRemoteActorByKey returns the actor whose key has keyID.
	// ENOTFOUND.
	FindRemoteActorByKey(ctx context.Context, keyID string) (*RemoteActor, error)

	// FindDeliveryHost returns the record of host; a host never seen is a
	// zero record (Host set), not an error.
	FindDeliveryHost(ctx context.Context, host string) (*DeliveryHost, error)
	// DeliveryFailed counts a failed delivery to host at time at, pausing
	// the host or marking it unavailable as policy says (see
	// DeliveryHost.Failed). It returns the updated record.
	DeliveryFailed(ctx context.Context, host string, at time.Time, policy DeliveryPolicy) (*DeliveryHost, error)
	// ClaimDeliveryProbe makes the caller's delivery the probe of host, a
	// paused host whose pause has ended at time at, with a lease until
	// until (see DeliveryHost.ClaimProbe). It returns the record as now
	// stored and whether the claim was granted: it is not while the pause
	// lasts or another probe holds its lease, nor for a host that is not
	// paused.
	ClaimDeliveryProbe(ctx context.Context, host string, at, until time.Time) (*DeliveryHost, bool, error)
	// DeliverySucceeded clears host's failures: it is available and no
	// longer paused.
	DeliverySucceeded(ctx context.Context, host string) error
	// ListUnavailableHosts returns the hosts marked unavailable, sorted.
	ListUnavailableHosts(ctx context.Context) ([]*DeliveryHost, error)

	// BlockDomain inserts b and, in the same transaction, removes
	// everything of b.Domain and its subdomains (see HostInDomain): its
	// followers, our follows of its actors, feed posts it sent or wrote,
	// responses its actors wrote, its cached remote actors, and the partner
	// enterprises, listings and announcements whose Origin lies there,
	// recording a deleted event (with the Origin) for each entry removed on
	// its own, at b.CreatedAt, and the partnerships with hosts there.
	// Reports it sent are kept. It returns what was removed. ECONFLICT when the domain is blocked (nothing changes).
	BlockDomain(ctx context.Context, b *DomainBlock) (*DomainPurge, error)
	// DeleteDomainBlock removes the block of domain. ENOTFOUND.
	DeleteDomainBlock(ctx context.Context, domain string) error
	// ListDomainBlocks returns every block, sorted by domain.
	ListDomainBlocks(ctx context.Context) ([]*DomainBlock, error)
	// DomainBlocked reports whether host or one of its parent domains is
	// blocked (host in lower case, without port).
	DomainBlocked(ctx context.Context, host string) (bool, error)

	// Cursor returns the saved position named name, 0 when never saved.
	Cursor(ctx context.Context, name string) (int64, error)
	// SetCursor saves position value under name; a value lower than the
	// saved one leaves it (the cursor never moves back).
	SetCursor(ctx context.Context, name string, value int64) error
	// RecordEvent writes e (an event no change of the directory records
	// itself, such as a rotated actor key) and sets e.ID.
	RecordEvent(ctx context.Context, e *Event) error
	// ListingsExpiring returns the local listings still open whose
	// valid-until day lies in (afterDay, throughDay] (YYYY-MM-DD), oldest
	// first: those that expired between two sweeps.
	ListingsExpiring(ctx context.Context, afterDay, throughDay string) ([]*Listing, error)
}
