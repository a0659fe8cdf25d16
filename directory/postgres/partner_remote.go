package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' entries, of directory.PartnerStore. A copy is
// found by (origin, remote_id): the partial unique index on them covers
// the rows with both set, so every query here says origin <> '' AND
// remote_id <> '' to let the planner use it.

// ImportRemote stores copies of origin's enterprises, then its listings,
// in one transaction: a new entry is inserted, a stored one overwritten
// when the entry is newer. No events are recorded. EINVALID when an entry
// has another origin or no remote id (nothing is written).
func (db *DB) ImportRemote(ctx context.Context, origin string, enterprises []*directory.Enterprise, listings []*directory.Listing) (directory.RemoteImport, error) {
	var res directory.RemoteImport
	if err := directory.CheckRemoteImport(origin, enterprises, listings); err != nil {
		return res, err
	}
	var eCopies, lCopies []*directory.RemoteCopy
	err := db.write(ctx, "import", func(tx pgx.Tx) (err error) {
		res = directory.RemoteImport{}
		im := &importer{tx: tx}
		if eCopies, err = im.importEnterprises(ctx, origin, enterprises, &res); err != nil {
			return err
		}
		lCopies, err = im.importListings(ctx, origin, listings, &res)
		return err
	})
	if err != nil {
		return directory.RemoteImport{}, err
	}
	for i, e := range enterprises {
		e.ID = eCopies[i].ID
		stored(e)
	}
	for i, l := range listings {
		l.ID = 0 // an orphan's
		if c := lCopies[i]; c != nil {
			l.ID = c.ID
		}
		l.CreatedAt, l.UpdatedAt = ts(l.CreatedAt), ts(l.UpdatedAt)
	}
	return res, nil
}

// storedCopies returns the id and update time of the copies in table
// (enterprises or listings) of origin with one of remoteIDs, by remote id.
func storedCopies(ctx context.Context, tx pgx.Tx, table, origin string, remoteIDs []string) (map[string]*directory.RemoteCopy, error) {
	out := make(map[string]*directory.RemoteCopy, len(remoteIDs))
	if len(remoteIDs) == 0 {
		return out, nil
	}
	// A join on each remote id rather than remote_id = ANY($2): with the
	// statistics of a table that an import is filling, the planner would
	// read every copy of the origin.
	rows, err := tx.Query(ctx, `SELECT c.remote_id, c.ID, c.updated_at FROM unnest($2::text[]) AS r (remote_id)
		JOIN `+table+` c ON c.origin = $1 AND c.remote_id = r.remote_id AND c.origin <> '' AND c.remote_id <> ''`,
		origin, remoteIDs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			remoteID string
			c        directory.RemoteCopy
			updated  time.Time
		)
		if err := rows.Scan(&remoteID, &c.ID, &updated); err != nil {
			return nil, err
		}
		c.Updated = updated.UnixMicro()
		out[remoteID] = &c
	}
	return out, rows.Err()
}

// enterpriseIDs returns the ids of origin's enterprises with one of
// handles, by handle.
func enterpriseIDs(ctx context.Context, tx pgx.Tx, origin string, handles []string) (map[string]int64, error) {
	out := make(map[string]int64)
	if len(handles) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT e.handle, e.id FROM unnest($2::text[]) AS r (handle)
		JOIN enterprises e ON e.origin = $1 AND e.handle = r.handle`, origin, handles)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			handle string
			id     int64
		)
		if err := rows.Scan(&handle, &id); err != nil {
			return nil, err
		}
		out[handle] = id
	}
	return out, rows.Err()
}

// DeleteRemoteEnterprise removes the copy (origin, remoteID) with its
// listings and announcements, and reports whether it was there.
func (db *DB) DeleteRemoteEnterprise(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "enterprise", `DELETE FROM enterprises
		WHERE origin = $1 AND remote_id = $2 AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// DeleteRemoteListing removes the listing copy (origin, remoteID) and
// reports whether it was there.
func (db *DB) DeleteRemoteListing(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "listing", `DELETE FROM listings
		WHERE origin = $1 AND remote_id = $2 AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// FindRemoteEnterprise returns the copy (origin, remoteID). ENOTFOUND.
func (db *DB) FindRemoteEnterprise(ctx context.Context, origin, remoteID string) (*directory.Enterprise, error) {
	var e *directory.Enterprise
	err := db.read(ctx, "enterprise", func(tx pgx.Tx) (err error) {
		e, err = scanEnterprise(tx.QueryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e
			WHERE e.origin = $1 AND e.remote_id = $2 AND e.origin <> '' AND e.remote_id <> ''`, origin, remoteID))
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// PurgeOrigin removes every entry whose origin is origin: its enterprises
// with their listings and announcements, and the listings and
// announcements of that origin under other enterprises. No events are
// recorded. EINVALID for the local origin "".
func (db *DB) PurgeOrigin(ctx context.Context, origin string) (*directory.DomainPurge, error) {
	return db.removeOrigin(ctx, origin, nil)
}

// SweepOrigin removes the copies of origin that a backfill run found gone
// or refused. No events are recorded. EINVALID for the local origin "".
func (db *DB) SweepOrigin(ctx context.Context, origin string, set directory.SweepSet) (*directory.DomainPurge, error) {
	return db.removeOrigin(ctx, origin, &set)
}

// removeOrigin removes origin's entries: all of them when set is nil,
// else those set says are gone or refused.
func (db *DB) removeOrigin(ctx context.Context, origin string, set *directory.SweepSet) (*directory.DomainPurge, error) {
	if origin == "" {
		return nil, directory.Errorf(directory.EINVALID, "local entries are not purged")
	}
	gone, listing, announcement := `e.origin = @origin`, `l.origin = @origin`, `a.origin = @origin OR `
	args := pgx.NamedArgs{"origin": origin}
	if set != nil {
		ids, times := make([]string, len(set.Refused)), make([]time.Time, len(set.Refused))
		for i, r := range set.Refused {
			ids[i], times[i] = r.RemoteID, ts(r.UpdatedAt)
		}
		args["before"], args["enterprises"], args["listings"] = ts(set.Before), set.Enterprises, set.Listings
		args["refused_ids"], args["refused_at"] = ids, times
		// The copies are read through the partial (origin, remote_id)
		// index (hence origin <> '' and remote_id <> ''): a range of it for
		// those not kept (NOT IN over an uncorrelated list is a hashed
		// subplan; NOT ... = ANY would compare each row with each kept ID),
		// a lookup for each refused one.
		args["announcements"] = set.Announcements
		// An announcement copy's update time is its edit, else its creation.
		sweep := func(table, t, keep, updated string) string {
			return t + `.id IN (SELECT c.id FROM ` + table + ` c
					WHERE c.origin = @origin AND c.origin <> '' AND c.remote_id <> '' AND ` + updated + ` < @before
						AND c.id NOT IN (SELECT unnest(@` + keep + `::bigint[]))
				UNION ALL SELECT c.id FROM unnest(@refused_ids::text[], @refused_at::timestamptz[]) v(remote_id, at)
					JOIN ` + table + ` c ON c.origin = @origin AND c.remote_id = v.remote_id
						AND c.origin <> '' AND c.remote_id <> '' AND ` + updated + ` <= v.at)`
		}
		gone, listing = sweep("enterprises", "e", "enterprises", "c.updated_at"), sweep("listings", "l", "listings", "c.updated_at")
		announcement = sweep("announcements", "a", "announcements", "coalesce(c.updated_at, c.created_at)") + ` OR `
	}
	var p directory.DomainPurge
	err := db.write(ctx, "remove origin", func(tx pgx.Tx) error {
		p = directory.DomainPurge{}
		for _, d := range []struct {
			count *int
			query string
		}{
			{&p.Listings, `DELETE FROM listings l WHERE (` + listing + `)
				OR l.enterprise_id IN (SELECT e.id FROM enterprises e WHERE ` + gone + `)`},
			{&p.Announcements, `DELETE FROM announcements a WHERE ` + announcement + `
				a.enterprise_id IN (SELECT e.id FROM enterprises e WHERE ` + gone + `)`},
			{&p.Enterprises, `DELETE FROM enterprises e WHERE ` + gone},
		} {
			tag, err := tx.Exec(ctx, d.query, args)
			if err != nil {
				return err
			}
			*d.count = int(tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}
