package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' entries, of directory.PartnerStore. A copy is
// found by (origin, remote_id): the queries here read the partial unique
// index on them (INDEXED BY), which covers the rows with both set, so each
// says origin <> '' AND remote_id <> ''.

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
	err := db.inWrite(ctx, "import remote entries", func(tx *sql.Tx) (err error) {
		res = directory.RemoteImport{}
		im := &importer{tx: newPreparedTx(tx)}
		if eCopies, err = im.importEnterprises(ctx, origin, enterprises, &res); err != nil {
			return err
		}
		if lCopies, err = im.importListings(ctx, origin, listings, &res); err != nil {
			return err
		}
		return im.indexAll()
	})
	if err != nil {
		return directory.RemoteImport{}, err
	}
	for i, e := range enterprises {
		e.ID = eCopies[i].ID
	}
	for i, l := range listings {
		l.ID = 0 // an orphan's
		if c := lCopies[i]; c != nil {
			l.ID = c.ID
		}
	}
	return res, nil
}

// storedCopies returns the id and update time of the copies in table
// (enterprises or listings) of origin with one of remoteIDs, by remote id.
func storedCopies(ctx context.Context, tx *sql.Tx, table, origin string, remoteIDs []string) (map[string]*directory.RemoteCopy, error) {
	out := make(map[string]*directory.RemoteCopy, len(remoteIDs))
	if len(remoteIDs) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(remoteIDs) // a []string always marshals
	err := eachRow(ctx, tx, "find stored copies", func(row scanner) error {
		var (
			remoteID string
			c        directory.RemoteCopy
		)
		if err := row.Scan(&remoteID, &c.ID, &c.Updated); err != nil {
			return err
		}
		out[remoteID] = &c
		return nil
	}, `SELECT remote_id, id, updated_at FROM `+table+` INDEXED BY `+table+`_remote_id
		WHERE origin = ? AND origin <> '' AND remote_id <> '' AND remote_id IN (SELECT value FROM json_each(?))`, origin, string(list))
	return out, err
}

// enterpriseIDs returns the ids of origin's enterprises with one of
// handles, by handle.
func enterpriseIDs(ctx context.Context, tx *sql.Tx, origin string, handles []string) (map[string]int64, error) {
	out := make(map[string]int64)
	if len(handles) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(handles)
	err := eachRow(ctx, tx, "find enterprises", func(row scanner) error {
		var (
			handle string
			id     int64
		)
		if err := row.Scan(&handle, &id); err != nil {
			return err
		}
		out[handle] = id
		return nil
	}, `SELECT handle, id FROM enterprises
		WHERE origin = ? AND handle IN (SELECT value FROM json_each(?))`, origin, string(list))
	return out, err
}

// DeleteRemoteEnterprise removes the copy (origin, remoteID) with its
// listings and announcements, and reports whether it was there.
func (db *DB) DeleteRemoteEnterprise(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "delete remote enterprise", `DELETE FROM enterprises INDEXED BY enterprises_remote_id
		WHERE origin = ? AND remote_id = ? AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// DeleteRemoteListing removes the listing copy (origin, remoteID) and
// reports whether it was there.
func (db *DB) DeleteRemoteListing(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "delete remote listing", `DELETE FROM listings INDEXED BY listings_remote_id
		WHERE origin = ? AND remote_id = ? AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// FindRemoteEnterprise returns the copy (origin, remoteID). ENOTFOUND.
func (db *DB) FindRemoteEnterprise(ctx context.Context, origin, remoteID string) (*directory.Enterprise, error) {
	e, err := scanEnterprise(db.read.QueryRowContext(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e INDEXED BY enterprises_remote_id
		WHERE e.origin = ? AND e.remote_id = ? AND e.origin <> '' AND e.remote_id <> ''`, origin, remoteID))
	if err != nil {
		return nil, notFound(err, "enterprise not found", "find remote enterprise")
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
	gone, listing, announcement := `origin = ?1`, `origin = ?1`, `origin = ?1 OR `
	args := []any{origin}
	var refusedJSON []byte
	if set != nil {
		// ?2 before, ?3 and ?4 the kept enterprise and listing IDs, ?5
		// the refused versions as [remote id, micros], all JSON arrays.
		refused := make([][2]any, len(set.Refused))
		for i, r := range set.Refused {
			refused[i] = [2]any{r.RemoteID, micros(r.UpdatedAt)}
		}
		var lists [3][]byte
		for i, v := range []any{nonNil(set.Enterprises), nonNil(set.Listings), refused} {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, directory.Internal(err, "sweep origin")
			}
			lists[i] = b
		}
		args = append(args, micros(set.Before), string(lists[0]), string(lists[1]), string(lists[2]))
		refusedJSON = lists[2]
		// The copies are read through the (origin, remote_id) index: a
		// range of it for those not kept, a lookup for each refused one.
		sweep := func(table, keep string) string {
			copies := table + ` c INDEXED BY ` + table + `_remote_id`
			return `id IN (SELECT c.id FROM ` + copies + `
					WHERE c.origin = ?1 AND c.origin <> '' AND c.remote_id <> '' AND c.updated_at < ?2
						AND c.id NOT IN (SELECT value FROM json_each(` + keep + `))
				UNION ALL SELECT c.id FROM json_each(?5) r JOIN ` + copies + `
					ON c.origin = ?1 AND c.remote_id = r.value ->> 0 AND c.origin <> '' AND c.remote_id <> ''
					WHERE c.updated_at <= r.value ->> 1)`
		}
		// (Every query refers to ?5, the last, so each binds the five.)
		gone, listing, announcement = sweep("enterprises", "?3"), sweep("listings", "?4"), ``
	}
	var p directory.DomainPurge
	err := db.inWrite(ctx, "remove origin", func(tx *sql.Tx) error {
		p = directory.DomainPurge{}
		for _, d := range []struct {
			count *int
			query string
		}{
			{&p.Listings, `DELETE FROM listings WHERE (` + listing + `)
				OR enterprise_id IN (SELECT id FROM enterprises WHERE ` + gone + `)`},
			{&p.Announcements, `DELETE FROM announcements WHERE ` + announcement + `
				enterprise_id IN (SELECT id FROM enterprises WHERE ` + gone + `)`},
			{&p.Enterprises, `DELETE FROM enterprises WHERE ` + gone},
		} {
			res, err := tx.ExecContext(ctx, d.query, args...)
			if err != nil {
				return directory.Internal(err, "remove origin")
			}
			n, err := res.RowsAffected()
			if err != nil {
				return directory.Internal(err, "remove origin")
			}
			*d.count = int(n)
		}
		if set == nil {
			return nil
		}
		n, err := sweepAnnouncements(ctx, tx, origin, set, string(refusedJSON))
		p.Announcements += n
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// nonNil is ids, or an empty list for nil (a JSON array either way).
func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// sweepAnnouncements removes the announcement copies of origin that a
// backfill run did not keep (older than set.Before) or refused (refused,
// the JSON of [remote id, micros] pairs), and returns how many.
func sweepAnnouncements(ctx context.Context, tx *sql.Tx, origin string, set *directory.SweepSet, refused string) (int, error) {
	kept, err := json.Marshal(nonNil(set.Announcements))
	if err != nil {
		return 0, directory.Internal(err, "sweep announcements")
	}
	const copies = `announcements c INDEXED BY announcements_remote_id`
	res, err := tx.ExecContext(ctx, `DELETE FROM announcements WHERE id IN (SELECT c.id FROM `+copies+`
			WHERE c.origin = ?1 AND c.origin <> '' AND c.remote_id <> '' AND coalesce(c.updated_at, c.created_at) < ?2
				AND c.id NOT IN (SELECT value FROM json_each(?3))
		UNION ALL SELECT c.id FROM json_each(?4) r JOIN `+copies+`
			ON c.origin = ?1 AND c.remote_id = r.value ->> 0 AND c.origin <> '' AND c.remote_id <> ''
			WHERE coalesce(c.updated_at, c.created_at) <= r.value ->> 1)`,
		origin, micros(set.Before), string(kept), refused)
	if err != nil {
		return 0, directory.Internal(err, "sweep announcements")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, directory.Internal(err, "sweep announcements")
	}
	return int(n), nil
}
