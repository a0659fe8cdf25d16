package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/coopdir/coopdir/directory"
)

const remoteActorColumns = `id, type, username, name, url, inbox, shared_inbox, key_id, public_key_pem, peer, fetched_at`

func scanRemoteActor(row scanner) (*directory.RemoteActor, error) {
	var (
		a       directory.RemoteActor
		fetched int64
	)
	err := row.Scan(&a.ID, &a.Type, &a.Username, &a.Name, &a.URL, &a.Inbox, &a.SharedInbox, &a.KeyID,
		&a.PublicKeyPEM, &a.Peer, &fetched)
	if err != nil {
		return nil, err
	}
	a.FetchedAt = fromMicros(fetched)
	return &a, nil
}

// SaveRemoteActor stores a, replacing what was kept of a.ID.
func (db *DB) SaveRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	return db.inWrite(ctx, "save remote actor", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO remote_actors (`+remoteActorColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET type = excluded.type, username = excluded.username,
				name = excluded.name, url = excluded.url, inbox = excluded.inbox,
				shared_inbox = excluded.shared_inbox, key_id = excluded.key_id,
				public_key_pem = excluded.public_key_pem, peer = excluded.peer, fetched_at = excluded.fetched_at`,
			a.ID, a.Type, a.Username, a.Name, a.URL, a.Inbox, a.SharedInbox, a.KeyID, a.PublicKeyPEM,
			boolInt(a.Peer), micros(a.FetchedAt))
		if err != nil {
			return directory.Internal(err, "save remote actor")
		}
		return nil
	})
}

// FindRemoteActor returns the actor with id. ENOTFOUND.
func (db *DB) FindRemoteActor(ctx context.Context, id string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(db.read.QueryRowContext(ctx,
		`SELECT `+remoteActorColumns+` FROM remote_actors WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "remote actor not found", "find remote actor")
	}
	return a, nil
}

// FindRemoteActorByKey returns the actor whose key has keyID (the one
// fetched last, should two claim it). ENOTFOUND.
func (db *DB) FindRemoteActorByKey(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(db.read.QueryRowContext(ctx, `SELECT `+remoteActorColumns+` FROM remote_actors
		WHERE key_id = ? AND key_id <> '' ORDER BY fetched_at DESC, id LIMIT 1`, keyID))
	if err != nil {
		return nil, notFound(err, "remote actor not found", "find remote actor")
	}
	return a, nil
}

func scanDeliveryHost(row scanner) (*directory.DeliveryHost, error) {
	var (
		h     directory.DeliveryHost
		first int64
	)
	if err := row.Scan(&h.Host, &h.Failures, &first, &h.Unavailable); err != nil {
		return nil, err
	}
	h.FirstFailure = fromMicros(first)
	return &h, nil
}

// FindDeliveryHost returns the record of host; a host never seen (or whose
// last delivery succeeded) is a zero record with Host set.
func (db *DB) FindDeliveryHost(ctx context.Context, host string) (*directory.DeliveryHost, error) {
	h, err := scanDeliveryHost(db.read.QueryRowContext(ctx,
		`SELECT host, failures, first_failure, unavailable FROM delivery_hosts WHERE host = ?`, host))
	if errors.Is(err, sql.ErrNoRows) {
		return &directory.DeliveryHost{Host: host}, nil
	}
	if err != nil {
		return nil, directory.Internal(err, "find delivery host")
	}
	return h, nil
}

// DeliveryFailed counts a failed delivery to host at time at and returns
// the updated record.
func (db *DB) DeliveryFailed(ctx context.Context, host string, at time.Time, minFailures int, minSpan time.Duration) (*directory.DeliveryHost, error) {
	var h *directory.DeliveryHost
	err := db.inWrite(ctx, "delivery failed", func(tx *sql.Tx) error {
		var err error
		h, err = scanDeliveryHost(tx.QueryRowContext(ctx,
			`SELECT host, failures, first_failure, unavailable FROM delivery_hosts WHERE host = ?`, host))
		if errors.Is(err, sql.ErrNoRows) {
			h, err = &directory.DeliveryHost{Host: host}, nil
		}
		if err != nil {
			return directory.Internal(err, "delivery failed")
		}
		h.Failed(at, minFailures, minSpan)
		_, err = tx.ExecContext(ctx, `
			INSERT INTO delivery_hosts (host, failures, first_failure, unavailable) VALUES (?, ?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET failures = excluded.failures,
				first_failure = excluded.first_failure, unavailable = excluded.unavailable`,
			h.Host, h.Failures, micros(h.FirstFailure), boolInt(h.Unavailable))
		if err != nil {
			return directory.Internal(err, "delivery failed")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// DeliverySucceeded clears host's failures and makes it available.
func (db *DB) DeliverySucceeded(ctx context.Context, host string) error {
	_, err := db.exec(ctx, "delivery succeeded", `DELETE FROM delivery_hosts WHERE host = ?`, host)
	return err
}

// ListUnavailableHosts returns the hosts marked unavailable, sorted.
func (db *DB) ListUnavailableHosts(ctx context.Context) ([]*directory.DeliveryHost, error) {
	out := []*directory.DeliveryHost{}
	err := db.inRead(ctx, "list unavailable hosts", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list unavailable hosts", func(row scanner) error {
			h, err := scanDeliveryHost(row)
			if err != nil {
				return err
			}
			out = append(out, h)
			return nil
		}, `SELECT host, failures, first_failure, unavailable FROM delivery_hosts WHERE unavailable ORDER BY host`)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Cursor returns the saved position named name, 0 when never saved.
func (db *DB) Cursor(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, name).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, directory.Internal(err, "read cursor")
	}
	return v, nil
}

// SetCursor saves position value under name.
func (db *DB) SetCursor(ctx context.Context, name string, value int64) error {
	_, err := db.exec(ctx, "save cursor", `INSERT INTO cursors (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = max(cursors.value, excluded.value)`, name, value)
	return err
}

// ListingsExpiring returns the local listings still open whose valid-until
// day lies in (afterDay, throughDay], oldest first. EINVALID when a day is
// not YYYY-MM-DD.
func (db *DB) ListingsExpiring(ctx context.Context, afterDay, throughDay string) ([]*directory.Listing, error) {
	if !directory.ValidDay(afterDay) || !directory.ValidDay(throughDay) {
		return nil, directory.Errorf(directory.EINVALID, "days must be YYYY-MM-DD")
	}
	out := []*directory.Listing{}
	err := db.inRead(ctx, "listings expiring", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "listings expiring", func(row scanner) error {
			l, err := scanListing(row)
			if err != nil {
				return err
			}
			out = append(out, l)
			return nil
		}, `SELECT `+listingColumns+` FROM `+listingFrom+`
			WHERE l.status = 'open' AND l.valid_until > ? AND l.valid_until <= ? AND l.origin = ''
			ORDER BY l.valid_until, l.id`, afterDay, throughDay)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
