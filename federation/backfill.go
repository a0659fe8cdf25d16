package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/coopdir/coopdir/directory"
)

// The backfill imports a partner's directory when our request becomes
// active: it pages through the partner's enterprises collection, then its
// open listings, then its announcements (see server_directory.go), and stores each page's entries
// that are valid and in the partnership's scope as copies with the
// partner's origin. Its position (the next page) is saved after every page,
// so a backfill that stops (crash, restart, partner down) resumes there;
// a page fails as a whole only when it cannot be read, and then the job
// is retried with backoff. Copies are overwritten only when the partner's
// updated time is later, so running it again changes nothing that did not
// change.
//
// One run of the job reads pages for Options.BackfillStep, then saves its
// place and snoozes to run again at once: no run lasts longer than a
// delivery, so that one a crash cut short is rescued as soon (see
// rescue.go). What the run learnt of the partner's directory so far (the
// copies it stored or found, for the sweep at its end) goes with the job,
// as River's resumable cursor.
// BackfillArgs is one backfill job. Run tells apart the runs of one
// partner (a run per activation or scope change), so that a new run is
// queued even while an old one is remembered as completed.
type BackfillArgs struct {
	Partner int64  `json:"partner" river:"unique"`
	Run     string `json:"run" river:"unique"`
}

// Kind names the job type in the queue.
func (BackfillArgs) Kind() string { return "coopdir_backfill" }

// InsertOpts makes a run unique and retries a failing backfill for about
// a day.
func (BackfillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type backfillWorker struct {
	river.WorkerDefaults[BackfillArgs]
	n *Partners
}

// backfillCursor is where a run of a backfill stands between two runs of
// its job: the position saved with the partner (Next and At, which tell
// whether the cursor is still the partner's), whether the run read the
// whole directory from its first page (Whole, since Started), and the
// copies it stored or found so far (Seen).
type backfillCursor struct {
	Next    string             `json:"next"`
	At      time.Time          `json:"at"`
	Whole   bool               `json:"whole"`
	Started time.Time          `json:"started"`
	Seen    directory.SweepSet `json:"seen"`
}

// Work runs (or resumes) the backfill of one partner for one step.
func (w *backfillWorker) Work(ctx context.Context, job *river.Job[BackfillArgs]) error {
	river.ResumableStepCursor(ctx, "pages", nil, func(ctx context.Context, cur backfillCursor) error {
		more, err := w.n.backfill(ctx, job.Args.Partner, &cur, w.n.opt.BackfillStep)
		if more || err != nil {
			if serr := river.ResumableSetCursor(ctx, cur); serr != nil {
				return errors.Join(err, serr)
			}
		}
		if err == nil && more {
			return river.JobSnooze(0)
		}
		return err
	})
	return nil
}

// NextRetry backs off from Options.RetryBase as deliveries do.
func (w *backfillWorker) NextRetry(job *river.Job[BackfillArgs]) time.Time {
	return w.n.retryAt(job.JobRow, 0)
}

// Timeout bounds one step of a backfill: its pages, and one more page
// read and stored.
func (w *backfillWorker) Timeout(*river.Job[BackfillArgs]) time.Duration { return w.n.step }

// startBackfill queues a backfill run of p.
func (ps *Partners) startBackfill(ctx context.Context, p *directory.Partner) error {
	_, err := ps.jobs.Insert(ctx, BackfillArgs{Partner: p.ID, Run: ps.now().Format(time.RFC3339Nano)}, nil)
	return err
}

// directoryPageDoc is a page of a partner's directory collection.
type directoryPageDoc struct {
	Type  string            `json:"type"`
	Next  string            `json:"next"`
	Items []json.RawMessage `json:"orderedItems"`
}

// Backfill imports partner id's directory from where the last run
// stopped, to its end. It returns nil at once when we do not import from
// the partner (any more).
func (ps *Partners) Backfill(ctx context.Context, id int64) error {
	var cur backfillCursor
	for {
		more, err := ps.backfill(ctx, id, &cur, 0)
		if err != nil || !more {
			return err
		}
	}
}

// backfill imports partner id's directory from where the last run
// stopped, for step (0: to its end), and reports whether pages remain.
// cur is where the run stood (the zero cursor when unknown); it is left
// where the run stands now, matching the position saved with the partner.
func (ps *Partners) backfill(ctx context.Context, id int64, cur *backfillCursor, step time.Duration) (more bool, err error) {
	stepEnd := time.Now().Add(step)
	p, err := ps.store.FindPartner(ctx, id)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	base, err := url.Parse(p.ActorID)
	if err != nil {
		return false, directory.Errorf(directory.EINVALID, "partner %s has no valid actor id", p.Host)
	}
	base.Path, base.RawQuery, base.Fragment = "", "", ""
	enterprises := base.String() + DirectoryEnterprisesPath
	listings := base.String() + DirectoryListingsPath
	announcements := base.String() + DirectoryAnnouncementsPath
	b, last := p.Backfill, p.Backfill
	if b.Done {
		return false, nil
	}
	// A run that reads the whole directory here, from its first page,
	// knows every copy the partner still has: at its end the others are
	// removed (see sweep). The cursor carries that knowledge from one step
	// to the next, while the position saved with the partner is its own.
	whole, started, seen := b.Next == "", ps.now(), directory.SweepSet{}
	if !cur.Started.IsZero() && cur.Next == b.Next && cur.At.Equal(b.At) {
		whole, started, seen = cur.Whole, cur.Started, cur.Seen
	}
	if b.Next == "" {
		b.Next = enterprises + "?after=0"
	}
	keep := func(b directory.Backfill) {
		*cur = backfillCursor{Next: b.Next, At: b.At, Whole: whole, Started: started, Seen: seen}
	}
	owners := map[string]*directory.Enterprise{}
	// The next page is fetched while this one is stored, so that the
	// partner's work and ours overlap.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stepOver := func() bool { return step > 0 && !time.Now().Before(stepEnd) }
	pending := ps.fetchPage(ctx, b.Next)
	for read := 0; b.Next != ""; read++ {
		if !p.Importing() {
			return false, nil
		}
		if read > 0 && stepOver() {
			return true, nil // the next step reads on
		}
		got := <-pending
		next, err := got.next, got.err
		if err != nil && b.Next == announcements+"?after=0" && fetchStatus(err) == http.StatusNotFound {
			// A partner running a coopdir from before announcements were
			// shared has no such collection: its directory ends there.
			got, err = fetchedPage{page: &directoryPageDoc{}}, nil
		}
		if err == nil {
			switch {
			case next != "":
				if !strings.HasPrefix(next, enterprises+"?") && !strings.HasPrefix(next, listings+"?") &&
					!strings.HasPrefix(next, announcements+"?") {
					err = directory.Errorf(directory.EINVALID, "the partner's next page %q is not one of its directory collections", next)
				}
			case strings.HasPrefix(b.Next, enterprises+"?"):
				next = listings + "?after=0"
			case strings.HasPrefix(b.Next, listings+"?"):
				next = announcements + "?after=0"
			}
		}
		if err == nil && next != "" && !stepOver() {
			pending = ps.fetchPage(ctx, next)
		}
		var imported, refused int
		if err == nil {
			imported, refused, err = ps.backfillPage(ctx, p, got.page, owners, &seen)
		}
		if err != nil {
			b.Error = clip(err.Error(), 500)
			saved, serr := ps.saveBackfill(ctx, id, p.Host, last, b)
			if saved != nil {
				keep(saved.Backfill)
			}
			return false, errors.Join(err, serr)
		}
		b.Error, b.Imported, b.Refused = "", b.Imported+imported, b.Refused+refused
		b.Next, b.Done = next, next == ""
		b.At = ps.now()
		if b.Done {
			if p, err = ps.endRun(ctx, p, last, &b, whole, seen, started); p == nil || err != nil {
				return false, err
			}
		}
		// Stop at once when the partnership ended or changed meanwhile.
		if p, err = ps.saveBackfill(ctx, id, p.Host, last, b); p == nil || err != nil {
			return false, err
		}
		last = b
		keep(b)
	}
	if !b.Done {
		// A resumed run does not know every copy the partner still has:
		// the sweep it owes needs a run that reads everything (endRun set
		// it to start over).
		return false, ps.startBackfill(ctx, p)
	}
	return false, nil
}

// clockSkew is how far a partner's clock may be behind ours: a copy whose
// partner-given update time is less than this before a run started is
// taken as changed since, and a sweep keeps it.
const clockSkew = 10 * time.Minute

// endRun finishes a run whose last page is stored (b is its position, not
// saved yet; last the one saved). A run that read the partner's whole
// directory here sweeps: the copies it did not store or find unchanged
// (deleted at the partner while its Delete did not reach us, closed, or
// now out of scope) are removed, unless they changed since the run
// started (an announce brought them). A resumed run that owes a sweep
// (b.Sweep) is set to start over instead. It returns the partner, or nil
// when the run is no longer the partner's.
func (ps *Partners) endRun(ctx context.Context, p *directory.Partner, last directory.Backfill, b *directory.Backfill,
	whole bool, seen directory.SweepSet, started time.Time) (*directory.Partner, error) {
	switch {
	case whole:
		// The sweep must not remove what a newer run (a wider scope)
		// brought: only the partner's current run sweeps.
		host := p.Host
		p, err := ps.store.FindPartner(ctx, p.ID)
		switch {
		case directory.ErrorCode(err) == directory.ENOTFOUND || err == nil && !p.Importing():
			return nil, ps.purgeEnded(ctx, host)
		case err != nil:
			return nil, err
		case !ownRun(p, last):
			return nil, nil
		}
		seen.Before = started.Add(-clockSkew)
		removed, err := ps.store.SweepOrigin(ctx, p.Host, seen)
		if err != nil {
			return nil, err
		}
		b.Removed, b.Sweep = removed.Enterprises+removed.Listings, false
		return p, nil
	case b.Sweep:
		*b = directory.Backfill{At: ps.now(), Sweep: true}
	}
	return p, nil
}

// ownRun reports whether the backfill run that last saved (or started
// from) last is still partner p's.
func ownRun(p *directory.Partner, last directory.Backfill) bool {
	return p.Importing() && p.Backfill.Next == last.Next && p.Backfill.Done == last.Done && p.Backfill.At.Equal(last.At)
}

// ResyncEvery is how often the directory of each partner we import from
// is read again in whole, to catch what its announces missed.
const ResyncEvery = 24 * time.Hour

// resyncPartners starts a new backfill run, which ends with a sweep, for
// each partner we import from whose backfill last moved more than
// ResyncEvery ago: its last run finished then, or stopped (its job gave up
// after its retries, or was never queued). It runs with the periodic
// sweep, so that restarts do not postpone it.
func (ps *Partners) resyncPartners(ctx context.Context) error {
	partners, err := ps.store.ListPartners(ctx)
	if err != nil {
		return err
	}
	due := ps.now().Add(-ResyncEvery)
	stale := func(p *directory.Partner) bool { return p.Importing() && p.Backfill.At.Before(due) }
	for _, p := range partners {
		if !stale(p) {
			continue
		}
		started := false
		p, err := ps.store.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
			if !stale(p) {
				return directory.ErrNoChange
			}
			started, p.Backfill = true, directory.Backfill{At: ps.now(), Sweep: true}
			return nil
		})
		if err := ignoreNotFound(err); err != nil {
			return err
		}
		if started {
			if err := ps.startBackfill(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// saveBackfill records the position b of a backfill run that last saved
// (or started from) last, and returns the partner as now stored. It
// returns nil and saves nothing when the run is no longer the partner's:
// the partnership ended or stopped importing, or a new run (a scope
// change, a new approval) took over.
//
// When the partnership ended or stopped importing, a page this run stored
// may have landed after its entries were removed: they are removed again.
func (ps *Partners) saveBackfill(ctx context.Context, id int64, host string, last, b directory.Backfill) (*directory.Partner, error) {
	p, err := ps.store.ChangePartner(ctx, id, func(p *directory.Partner) error {
		if !ownRun(p, last) {
			return directory.ErrNoChange
		}
		p.Backfill = b
		return nil
	})
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return nil, ps.purgeEnded(ctx, host)
	case err != nil:
		return nil, err
	case !p.Importing():
		return nil, ps.purgeEnded(ctx, host)
	case !ownRun(p, b):
		return nil, nil // a new run took over
	}
	return p, nil
}

// purgeEnded removes the entries from host, a partner we no longer import
// from, unless it is partnered again meanwhile.
func (ps *Partners) purgeEnded(ctx context.Context, host string) error {
	now, err := ps.store.FindPartnerByHost(ctx, host)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
	case err != nil:
		return err
	case now.Importing():
		return nil // partnered again meanwhile: its own run imports
	}
	_, err = ps.store.PurgeOrigin(ctx, host)
	return err
}

// fetchedPage is a page of a partner's directory as read, or why not.
type fetchedPage struct {
	page *directoryPageDoc
	next string
	err  error
}

// fetchPage reads a page of a partner's directory in the background.
func (ps *Partners) fetchPage(ctx context.Context, pageURL string) <-chan fetchedPage {
	out := make(chan fetchedPage, 1)
	go func() {
		raw, _, err := ps.opt.Client.FetchDocument(ctx, pageURL)
		if err != nil {
			out <- fetchedPage{err: err}
			return
		}
		var page directoryPageDoc
		if err := json.Unmarshal(raw, &page); err != nil || page.Type != "OrderedCollectionPage" {
			out <- fetchedPage{err: directory.Errorf(directory.EINVALID, "the partner's directory page does not decode")}
			return
		}
		out <- fetchedPage{page: &page, next: page.Next}
	}()
	return out
}

// backfillPage imports the entries of one page; it returns how many it
// imported and refused.
func (ps *Partners) backfillPage(ctx context.Context, p *directory.Partner, page *directoryPageDoc,
	owners map[string]*directory.Enterprise, seen *directory.SweepSet) (imported, refused int, err error) {
	var ents []*directory.Enterprise
	var ls []*directory.Listing
	var as []*directory.Announcement
	for _, item := range page.Items {
		h, ok, err := ps.backfillItem(ctx, p, item, owners)
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			refused++
			if h.refused != nil {
				seen.Refused = append(seen.Refused, *h.refused)
			}
		} else if h.e != nil {
			ents = append(ents, h.e)
		} else if h.l != nil {
			ls = append(ls, h.l)
		} else if h.a != nil {
			as = append(as, h.a)
		}
	}
	res, err := ps.importPage(ctx, p.Host, ents, ls)
	if err != nil {
		return 0, 0, err
	}
	if len(as) > 0 {
		ares, err := ps.store.ImportRemoteAnnouncements(ctx, p.Host, as)
		if err != nil {
			return 0, 0, err
		}
		res.Created, res.Updated, res.Unchanged, res.Orphans = res.Created+ares.Created, res.Updated+ares.Updated,
			res.Unchanged+ares.Unchanged, res.Orphans+ares.Orphans
		for _, a := range as {
			if a.ID != 0 {
				seen.Announcements = append(seen.Announcements, a.ID)
			}
		}
	}
	for _, e := range ents {
		if e.ID != 0 {
			seen.Enterprises = append(seen.Enterprises, e.ID)
		}
	}
	for _, l := range ls {
		if l.ID != 0 {
			seen.Listings = append(seen.Listings, l.ID)
		}
	}
	if !p.Scope.IsEmpty() {
		for _, e := range ents {
			owners[e.RemoteID] = e
		}
	}
	return res.Created + res.Updated + res.Unchanged, refused + res.Orphans, nil
}

// importPage stores a page's entries in one call. A page the store
// refuses (two entries that clash, say) is stored entry by entry, so that
// one bad entry does not keep the others out; those refused count as
// orphans.
func (ps *Partners) importPage(ctx context.Context, origin string, ents []*directory.Enterprise, ls []*directory.Listing) (directory.RemoteImport, error) {
	res, err := ps.store.ImportRemote(ctx, origin, ents, ls)
	switch directory.ErrorCode(err) {
	case directory.EINVALID, directory.ECONFLICT:
	default:
		return res, err
	}
	res = directory.RemoteImport{}
	add := func(r directory.RemoteImport, err error) error {
		switch directory.ErrorCode(err) {
		case "":
			res.Created, res.Updated, res.Unchanged, res.Orphans = res.Created+r.Created, res.Updated+r.Updated,
				res.Unchanged+r.Unchanged, res.Orphans+r.Orphans
		case directory.EINVALID, directory.ECONFLICT:
			res.Orphans++
		default:
			return err
		}
		return nil
	}
	for _, e := range ents {
		if err := add(ps.store.ImportRemote(ctx, origin, []*directory.Enterprise{e}, nil)); err != nil {
			return res, err
		}
	}
	for _, l := range ls {
		if err := add(ps.store.ImportRemote(ctx, origin, nil, []*directory.Listing{l})); err != nil {
			return res, err
		}
	}
	return res, nil
}

// backfillEntry is one entry of a page: an enterprise, a listing or an
// announcement, or the version of an entry refused as out of scope.
type backfillEntry struct {
	e       *directory.Enterprise
	l       *directory.Listing
	a       *directory.Announcement
	refused *directory.RemoteVersion
}

// outOfScope is the refusal of a partner's entry that is outside the
// partnership's scope.
func outOfScope(remoteID string, updated time.Time) backfillEntry {
	return backfillEntry{refused: &directory.RemoteVersion{RemoteID: remoteID, UpdatedAt: updated}}
}

// backfillItem decodes one entry of a page and checks that it is the
// partner's own and in scope; ok is false when it is refused (with the
// refused version when the entry is the partner's but out of scope).
func (ps *Partners) backfillItem(ctx context.Context, p *directory.Partner, item json.RawMessage,
	owners map[string]*directory.Enterprise) (backfillEntry, bool, error) {
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(item, &head) != nil {
		return backfillEntry{}, false, nil
	}
	switch head.Type {
	case "Organization":
		e, err := ps.partnerEnterprise(item)
		if err != nil || e.Origin != p.Host {
			return backfillEntry{}, false, nil
		}
		if !p.Scope.AllowsEnterprise(e) {
			return outOfScope(e.RemoteID, e.UpdatedAt), false, nil
		}
		return backfillEntry{e: e}, true, nil
	case "Proposal":
		d, l, err := ps.partnerListing(item)
		if err != nil || l.Origin != p.Host {
			return backfillEntry{}, false, nil
		}
		if p.Scope.IsEmpty() {
			// Every listing whose enterprise is here is in scope; the
			// import counts the others as orphans.
			return backfillEntry{l: l}, true, nil
		}
		e, err := ps.backfillOwner(ctx, p, d.AttributedTo, owners)
		if err != nil {
			return backfillEntry{}, false, err
		}
		if e == nil || !p.Scope.AllowsListing(l, e) {
			return outOfScope(l.RemoteID, l.UpdatedAt), false, nil
		}
		return backfillEntry{l: l}, true, nil
	case "Note":
		return ps.backfillAnnouncement(ctx, p, item, owners)
	}
	return backfillEntry{}, false, nil
}

// backfillAnnouncement decodes an announcement of a page and checks that
// it is the partner's own, by one of its enterprises, and in scope.
func (ps *Partners) backfillAnnouncement(ctx context.Context, p *directory.Partner, item json.RawMessage,
	owners map[string]*directory.Enterprise) (backfillEntry, bool, error) {
	d, a, err := ps.partnerAnnouncement(item)
	if err != nil || a.Origin != p.Host {
		return backfillEntry{}, false, nil
	}
	if h, err := Host(d.AttributedTo); err != nil || h != p.Host {
		return backfillEntry{}, false, nil
	}
	if p.Scope.IsEmpty() {
		// The import counts those whose enterprise is not here as orphans.
		return backfillEntry{a: a}, true, nil
	}
	e, err := ps.backfillOwner(ctx, p, d.AttributedTo, owners)
	if err != nil {
		return backfillEntry{}, false, err
	}
	if e == nil || !p.Scope.AllowsAnnouncement(e) {
		return outOfScope(a.RemoteID, a.EditedAt()), false, nil
	}
	return backfillEntry{a: a}, true, nil
}

// backfillOwner returns our copy of the partner's enterprise actorID (nil
// when there is none), read once per run step through owners.
func (ps *Partners) backfillOwner(ctx context.Context, p *directory.Partner, actorID string,
	owners map[string]*directory.Enterprise) (*directory.Enterprise, error) {
	if e, ok := owners[actorID]; ok {
		return e, nil
	}
	e, err := ps.store.FindRemoteEnterprise(ctx, p.Host, actorID)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		e = nil
	case err != nil:
		return nil, err
	}
	owners[actorID] = e
	return e, nil
}

// fetchStatus is the HTTP status of a failed fetch, 0 when it got none.
func fetchStatus(err error) int {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe.Status
	}
	return 0
}
