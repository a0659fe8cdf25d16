package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// eventLock is the transaction advisory lock taken before events are
// written. Event ids come from a sequence, so without it a transaction could
// commit event 8 while event 7 is still uncommitted, and a reader of
// EventsAfter(7) would skip 7 for good. Holding the lock from the insert to
// the commit makes ids commit in order. Events are written last in every
// transaction, so the lock is held only for the commit.
const eventLock = 0x636f6f7064697201 // "coopdir" 0x01

// defaultEventLimit is used when EventsAfter is asked for no positive limit
// (as in the SQLite engine).
const defaultEventLimit = 100

// recordEvents writes evs, in order, at the end of a transaction.
func recordEvents(ctx context.Context, tx pgx.Tx, evs ...directory.Event) error {
	if len(evs) == 0 {
		return nil
	}
	n := len(evs)
	types, handles, origins, actors := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	listings, announcements := make([]*int64, n), make([]*int64, n)
	ats := make([]time.Time, n)
	for i, ev := range evs {
		types[i], handles[i], origins[i], actors[i] = string(ev.Type), ev.EnterpriseHandle, ev.Origin, ev.Actor
		listings[i], announcements[i] = nullID(ev.ListingID), nullID(ev.AnnouncementID)
		ats[i] = ts(ev.At)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(eventLock)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO events (type, enterprise_handle, listing_id, announcement_id, origin, actor, at)
		SELECT type, enterprise_handle, listing_id, announcement_id, origin, actor, at
		FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[])
			WITH ORDINALITY AS ev(type, enterprise_handle, listing_id, announcement_id, origin, actor, at, n)
		ORDER BY n`,
		types, handles, listings, announcements, origins, actors, ats)
	return err
}

// RecordEvent writes e, an event no change of the directory records
// itself, and sets e.ID.
func (db *DB) RecordEvent(ctx context.Context, e *directory.Event) error {
	var id int64
	err := db.write(ctx, "event", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(eventLock)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO events (type, enterprise_handle, listing_id, announcement_id, origin, actor, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			string(e.Type), e.EnterpriseHandle, nullID(e.ListingID), nullID(e.AnnouncementID),
			e.Origin, e.Actor, ts(e.At)).Scan(&id)
	})
	if err == nil {
		e.ID = id
	}
	return err
}

// EventsAfter returns up to limit events with ID > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]directory.Event, error) {
	out := []directory.Event{}
	if limit <= 0 {
		limit = defaultEventLimit
	}
	err := db.read(ctx, "events", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT id, type, enterprise_handle, COALESCE(listing_id, 0), COALESCE(announcement_id, 0), origin, actor, at
			FROM events WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ev directory.Event
			if err := rows.Scan(&ev.ID, (*string)(&ev.Type), &ev.EnterpriseHandle, &ev.ListingID,
				&ev.AnnouncementID, &ev.Origin, &ev.Actor, &ev.At); err != nil {
				return err
			}
			ev.At = ev.At.UTC()
			out = append(out, ev)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
