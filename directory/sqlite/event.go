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
	_, err := tx.ExecContext(ctx, `
		INSERT INTO events (type, enterprise_handle, listing_id, announcement_id, origin, at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		string(ev.Type), ev.EnterpriseHandle, nullID(ev.ListingID), nullID(ev.AnnouncementID),
		ev.Origin, micros(ev.At))
	if err != nil {
		return directory.Internal(err, "record event")
	}
	return nil
}

// EventsAfter returns up to limit events with ID > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]directory.Event, error) {
	if limit <= 0 {
		limit = defaultEventLimit
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, type, enterprise_handle, listing_id, announcement_id, origin, at
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
		if err := rows.Scan(&ev.ID, &ev.Type, &ev.EnterpriseHandle, &listing, &announce, &ev.Origin, &at); err != nil {
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
