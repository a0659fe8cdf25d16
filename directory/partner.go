package directory

import (
	"context"
	"errors"
	"slices"
	"time"
)

// A partnership joins two networks' directories. Each side asks on its own:
// our instance actor follows the partner's instance actor (Outgoing), and
// the partner's follows ours (Incoming). When the partner's admin approves
// our request, Outgoing becomes active and we import the partner's
// enterprises, open listings and announcements (the backfill, then its
// announces), what its export scope for us lets through. When
// our admin approves theirs, Incoming becomes active and we send them ours.
// A partnership is mutual when both are active.

// PartnerState is the state of one direction of a partnership.
type PartnerState string

// The states of a partnership request; PartnerNone means no request was
// made that way.
const (
	PartnerNone     PartnerState = ""
	PartnerPending  PartnerState = "pending"
	PartnerActive   PartnerState = "active"
	PartnerRejected PartnerState = "rejected"
)

// MaxScopeRadiusKM is the largest radius a partnership's area may have.
const MaxScopeRadiusKM = 20000

// Scope limits what we import from a partner (Partner.Scope) or what it
// may read of ours (Partner.ExportScope). Empty lists and no centre
// mean everything. Kinds limits the enterprises (and so their listings);
// Categories limits the listings; Center with RadiusKM limits both to an
// area: an enterprise must have a point within it, and a listing's own
// point (its enterprise's when it has none) must lie within it.
type Scope struct {
	Kinds      []Kind     `json:"kinds,omitempty"`
	Categories []Category `json:"categories,omitempty"`
	Center     *Point     `json:"center,omitempty"`
	RadiusKM   float64    `json:"radius_km,omitempty"`
}

// IsEmpty reports whether the scope lets everything through.
func (s Scope) IsEmpty() bool {
	return len(s.Kinds) == 0 && len(s.Categories) == 0 && s.Center == nil
}

// Validate checks the scope, naming the fields scope.kinds,
// scope.categories, scope.center and scope.radius_km.
func (s *Scope) Validate() error {
	var fe fieldErrors
	for _, k := range s.Kinds {
		if !k.Valid() {
			fe.add("scope.kinds", "enum", "must be one of %s", joinKinds())
			break
		}
	}
	for _, c := range s.Categories {
		if !c.Valid() {
			fe.add("scope.categories", "enum", "must be one of %s", joinCategories())
			break
		}
	}
	switch {
	case s.Center == nil && s.RadiusKM != 0:
		fe.add("scope.center", "required", "is needed with a radius")
	case s.Center != nil:
		if s.Center.Lat < -90 || s.Center.Lat > 90 || s.Center.Lon < -180 || s.Center.Lon > 180 {
			fe.add("scope.center", "range", "must be a latitude between -90 and 90 and a longitude between -180 and 180")
		}
		if !(s.RadiusKM > 0 && s.RadiusKM <= MaxScopeRadiusKM) {
			fe.add("scope.radius_km", "range", "must be more than 0 and at most %d km", MaxScopeRadiusKM)
		}
	}
	return fe.err("partnership scope")
}

// AllowsEnterprise reports whether an enterprise of the partner is
// imported.
func (s Scope) AllowsEnterprise(e *Enterprise) bool {
	if len(s.Kinds) > 0 && !slices.Contains(s.Kinds, e.Kind) {
		return false
	}
	return s.inArea(e.Location, Location{})
}

// AllowsListing reports whether a listing of the partner, whose enterprise
// is e, is imported.
func (s Scope) AllowsListing(l *Listing, e *Enterprise) bool {
	if !s.AllowsEnterprise(e) {
		return false
	}
	if len(s.Categories) > 0 && !slices.Contains(s.Categories, l.Category) {
		return false
	}
	return s.inArea(l.Location, e.Location)
}

// inArea reports whether loc (or fallback, when loc has no point) lies in
// the scope's area; without an area everything does.
func (s Scope) inArea(loc, fallback Location) bool {
	if s.Center == nil {
		return true
	}
	if !loc.HasPoint() {
		loc = fallback
	}
	if !loc.HasPoint() {
		return false
	}
	return DistanceKM(*s.Center, Point{Lat: *loc.Lat, Lon: *loc.Lon}) <= s.RadiusKM
}

// Backfill is how far the import of a partner's directory has come.
type Backfill struct {
	// Next is the URL of the next collection page to read; "" before the
	// first page and once Done.
	Next string `json:"next,omitempty"`
	// Imported counts the entries stored or found unchanged so far;
	// Refused those refused one by one (invalid, out of scope).
	Imported int `json:"imported"`
	Refused  int `json:"refused"`
	// Removed counts the copies a complete run removed at its end because
	// the partner's directory no longer holds them (or they left the
	// scope).
	Removed int `json:"removed,omitempty"`
	// Sweep is set on a run that must end with the sweep (a daily re-read,
	// a scope change): one that was interrupted and resumed reads the
	// whole directory again before it is done.
	Sweep bool `json:"sweep,omitempty"`
	// Done is set when every collection was read; At is when the backfill
	// last moved (started, read a page or finished).
	Done bool      `json:"done"`
	At   time.Time `json:"at,omitzero"`
	// Error is the last failure, cleared by the next page read.
	Error string `json:"error,omitempty"`
}

// Partner is another network's instance this one partners with (or was
// asked by). Host, the partner's host with its port when it has one, is
// also the Origin of its entries here.
type Partner struct {
	ID      int64  `json:"id"`
	Host    string `json:"host"`
	ActorID string `json:"actor"` // its instance actor
	Inbox   string `json:"-"`     // where our Follow, Undo, Accept and Reject go
	// Name, Summary, Enterprises and Listings describe the network as its
	// instance said (actor and NodeInfo) when we last looked.
	Name        string `json:"name"`
	Summary     string `json:"summary,omitempty"` // plain text
	URL         string `json:"url,omitempty"`     // its home page
	Enterprises int    `json:"enterprises"`
	Listings    int    `json:"listings"`
	// Outgoing is our request to them (we import their entries when
	// active); OutgoingFollowID the id of our Follow.
	Outgoing         PartnerState `json:"outgoing,omitempty"`
	OutgoingFollowID string       `json:"-"`
	// Incoming is their request to us (we send them ours when active);
	// IncomingFollowID the id of their Follow.
	Incoming         PartnerState `json:"incoming,omitempty"`
	IncomingFollowID string       `json:"-"`
	Scope            Scope        `json:"scope"`
	// ExportScope limits what the partner may read of our directory (the
	// exporter's limit): the directory collections we serve it and the
	// announces we send it hold only what it lets through.
	ExportScope Scope     `json:"export_scope"`
	Backfill    Backfill  `json:"backfill"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Mutual reports whether both networks import each other's entries.
func (p *Partner) Mutual() bool {
	return p.Outgoing == PartnerActive && p.Incoming == PartnerActive
}

// Importing reports whether we import the partner's entries.
func (p *Partner) Importing() bool { return p.Outgoing == PartnerActive }

// DisplayName is the network's name, or its host when it gave none.
func (p *Partner) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Host
}

// HasRequest is ECONFLICT unless the partner asked to partner with us (its
// request pending, approved or rejected).
func (p *Partner) HasRequest() error {
	if p.IncomingFollowID == "" || p.Incoming == PartnerNone {
		return Errorf(ECONFLICT, "%s has not asked to partner with this network", p.DisplayName())
	}
	return nil
}

// RemoteImport counts what one import of partner entries did.
type RemoteImport struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"` // not newer than the stored copy
	Orphans   int `json:"orphans"`   // listings whose enterprise is not stored
}

// Total is how many entries the import looked at.
func (r RemoteImport) Total() int { return r.Created + r.Updated + r.Unchanged + r.Orphans }

// ErrNoChange, returned by a PartnerStore.ChangePartner change, leaves
// the partner as it is.
var ErrNoChange = errors.New("no change")

// PartnerStore keeps partnerships and the copies of partners' entries.
// Every method is one transaction. Imports and removals of partner entries
// record no events: partners' entries are theirs to publish.
type PartnerStore interface {
	// CreatePartner inserts p and sets p.ID. ECONFLICT when a partner
	// with p.Host exists.
	CreatePartner(ctx context.Context, p *Partner) error
	// UpdatePartner overwrites every field of partner p.ID but Host and
	// CreatedAt. ENOTFOUND.
	UpdatePartner(ctx context.Context, p *Partner) error
	// ChangePartner changes partner id in one transaction that holds the
	// row: change sees the partner as stored and edits it, and every field
	// but Host and CreatedAt is written back. When change returns an error
	// nothing is written and ChangePartner returns that error; ErrNoChange
	// writes nothing and returns the partner as stored with a nil error.
	// Changes that race (two answers of a partner arriving at once) are
	// applied one after the other, none lost. ENOTFOUND, EINVALID.
	ChangePartner(ctx context.Context, id int64, change func(p *Partner) error) (*Partner, error)
	// FindPartner returns partner id. ENOTFOUND.
	FindPartner(ctx context.Context, id int64) (*Partner, error)
	// FindPartnerByHost returns the partner with host (lower case, with
	// its port when it has one). ENOTFOUND.
	FindPartnerByHost(ctx context.Context, host string) (*Partner, error)
	// ListPartners returns every partner, ordered by host.
	ListPartners(ctx context.Context) ([]*Partner, error)
	// DeletePartner removes partner id (not its entries: see
	// PurgeOrigin). ENOTFOUND.
	DeletePartner(ctx context.Context, id int64) error

	// ImportRemote stores copies of a partner's enterprises and listings,
	// all with Origin origin (entries with another Origin are an EINVALID
	// error and nothing is written). An entry is matched to a stored copy
	// by (Origin, RemoteID): a new one is inserted; a stored one is
	// overwritten (as UpdateEnterprise and UpdateListing do, its stored
	// ID kept) only when its UpdatedAt is later than the stored one's,
	// else it counts as unchanged. A listing's enterprise is the copy
	// with (origin, l.EnterpriseHandle), stored before or in the same
	// call; a listing whose enterprise is not there counts as an orphan
	// and is not stored. Enterprises are stored before listings. Sets
	// the IDs of the stored entries.
	ImportRemote(ctx context.Context, origin string, enterprises []*Enterprise, listings []*Listing) (RemoteImport, error)
	// DeleteRemoteEnterprise removes the copy (origin, remoteID) with its
	// listings and announcements and reports whether it was there.
	DeleteRemoteEnterprise(ctx context.Context, origin, remoteID string) (bool, error)
	// DeleteRemoteListing removes the listing copy (origin, remoteID) and
	// reports whether it was there.
	DeleteRemoteListing(ctx context.Context, origin, remoteID string) (bool, error)
	// FindRemoteEnterprise returns the copy (origin, remoteID). ENOTFOUND.
	FindRemoteEnterprise(ctx context.Context, origin, remoteID string) (*Enterprise, error)
	// PurgeOrigin removes every entry whose Origin is exactly origin
	// (enterprises with their listings and announcements) and returns the
	// counts in a DomainPurge (Enterprises, Listings, Announcements).
	PurgeOrigin(ctx context.Context, origin string) (*DomainPurge, error)
	// SweepOrigin removes origin's copies that a complete backfill run
	// found gone or refused (see SweepSet), enterprises with their
	// listings and announcements, and returns the counts removed. EINVALID
	// for the local origin "".
	SweepOrigin(ctx context.Context, origin string, set SweepSet) (*DomainPurge, error)

	// LocalEnterprisesAfter returns up to limit local enterprises with an
	// ID above afterID, by ID: a page of the directory collection partners
	// backfill from.
	LocalEnterprisesAfter(ctx context.Context, afterID int64, limit int) ([]*Enterprise, error)
	// OpenListingsAfter returns up to limit local listings with an ID above
	// afterID that are open and not expired on today (YYYY-MM-DD), by ID.
	OpenListingsAfter(ctx context.Context, afterID int64, today string, limit int) ([]*Listing, error)
}

// SweepSet is what a backfill run that read a partner's whole directory
// learnt of it, for SweepOrigin: a copy the run did not keep goes when it
// is older than Before (the partner no longer has it; a copy changed
// since the run started came by an announce and stays), and a copy of an
// entry the run refused goes when the refused version is not older.
type SweepSet struct {
	// Enterprises, Listings and Announcements are the IDs of the copies
	// the run stored or found unchanged.
	Enterprises, Listings, Announcements []int64
	// Refused are entries the partner has that the run refused (out of
	// scope, or a listing whose enterprise is).
	Refused []RemoteVersion
	Before  time.Time
}

// RemoteVersion is a version of a partner's entry: its remote id and
// update time.
type RemoteVersion struct {
	RemoteID  string
	UpdatedAt time.Time
}

// CheckRemoteImport refuses (EINVALID) an import whose entries are not all
// copies of origin's, with a remote id: what ImportRemote stores.
func CheckRemoteImport(origin string, enterprises []*Enterprise, listings []*Listing) error {
	bad := origin == ""
	for _, e := range enterprises {
		bad = bad || e.Origin != origin || e.RemoteID == ""
	}
	for _, l := range listings {
		bad = bad || l.Origin != origin || l.RemoteID == ""
	}
	if bad {
		return Errorf(EINVALID, "every imported entry must have origin %q and a remote id", origin)
	}
	return nil
}

// RemoteCopy is what an engine knows of a stored copy while it imports:
// its id (0 until inserted) and update time (unix microseconds).
type RemoteCopy struct {
	ID      int64
	Updated int64
}

// ImportEach walks n entries of an import, given by entry as remote id and
// update time (ok false for an orphan, which is skipped), and calls write
// for each one that is new (isNew; write sets or queues c.ID) or newer than
// its stored copy c. It counts them in res and returns the copy of each
// entry (nil for an orphan). stored holds the copies by remote id and
// gains those written, so that an entry given twice is written once.
func ImportEach(n int, stored map[string]*RemoteCopy, res *RemoteImport,
	entry func(i int) (remoteID string, updated int64, ok bool), write func(i int, c *RemoteCopy, isNew bool) error,
) ([]*RemoteCopy, error) {
	out := make([]*RemoteCopy, n)
	for i := range n {
		remoteID, updated, ok := entry(i)
		c := stored[remoteID]
		isNew := c == nil
		switch {
		case !ok:
			res.Orphans++
			continue
		case isNew:
			c = &RemoteCopy{Updated: updated}
			stored[remoteID] = c
			res.Created++
		case updated > c.Updated:
			c.Updated = updated
			res.Updated++
		default:
			res.Unchanged++
			out[i] = c
			continue
		}
		if err := write(i, c, isNew); err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
