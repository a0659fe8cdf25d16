package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// defaultEventLimit is used when EventsAfter is asked for no positive limit.
const defaultEventLimit = 100

// insertEvent records ev in tx, the transaction of the change it announces.
func insertEvent(ctx context.Context, tx *sql.Tx, ev directory.Event) error {
	_, err := insertEventID(ctx, tx, ev)
	return err
}

// insertEventID records ev in tx and returns its id.
func insertEventID(ctx context.Context, tx *sql.Tx, ev directory.Event) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO events (type, enterprise_handle, listing_id, announcement_id, origin, actor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(ev.Type), ev.EnterpriseHandle, nullID(ev.ListingID), nullID(ev.AnnouncementID),
		ev.Origin, ev.Actor, micros(ev.At)).Scan(&id)
	if err != nil {
		return 0, directory.Internal(err, "record event")
	}
	return id, nil
}

// RecordEvent writes e, an event no change of the directory records
// itself, and sets e.ID.
func (db *DB) RecordEvent(ctx context.Context, e *directory.Event) error {
	var id int64
	err := db.inWrite(ctx, "record event", func(tx *sql.Tx) (err error) {
		id, err = insertEventID(ctx, tx, *e)
		return err
	})
	if err == nil {
		e.ID = id
	}
	return err
}

// EventsAfter returns up to limit events with ID > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]directory.Event, error) {
	if limit <= 0 {
		limit = defaultEventLimit
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, type, enterprise_handle, listing_id, announcement_id, origin, actor, at
		FROM events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, directory.Internal(err, "list events")
	}
	defer rows.Close()
	events := []directory.Event{}
	for rows.Next() {
		var (
			ev                directory.Event
			listing, announce sql.NullInt64
			at                int64
		)
		if err := rows.Scan(&ev.ID, &ev.Type, &ev.EnterpriseHandle, &listing, &announce, &ev.Origin, &ev.Actor, &at); err != nil {
			return nil, directory.Internal(err, "scan event")
		}
		ev.ListingID, ev.AnnouncementID, ev.At = listing.Int64, announce.Int64, fromMicros(at)
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "list events")
	}
	return events, nil
}
