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

const deliveryHostColumns = `host, failures, first_failure, last_failure, pauses, paused_until, probe_until, unavailable`

func scanDeliveryHost(row scanner) (*directory.DeliveryHost, error) {
	var (
		h                  directory.DeliveryHost
		first, last        int64
		pausedUntil, probe sql.NullInt64
	)
	if err := row.Scan(&h.Host, &h.Failures, &first, &last, &h.Pauses, &pausedUntil, &probe, &h.Unavailable); err != nil {
		return nil, err
	}
	h.FirstFailure, h.LastFailure = fromMicros(first), fromMicros(last)
	h.PausedUntil, h.ProbeUntil = fromOptMicros(pausedUntil), fromOptMicros(probe)
	return &h, nil
}

// optMicros stores a zero time as NULL.
func optMicros(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: micros(t), Valid: !t.IsZero()}
}

func fromOptMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

// FindDeliveryHost returns the record of host; a host never seen (or whose
// last delivery succeeded) is a zero record with Host set.
func (db *DB) FindDeliveryHost(ctx context.Context, host string) (*directory.DeliveryHost, error) {
	h, err := findDeliveryHost(ctx, db.read, host)
	if err != nil {
		return nil, directory.Internal(err, "find delivery host")
	}
	return h, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findDeliveryHost(ctx context.Context, q querier, host string) (*directory.DeliveryHost, error) {
	h, err := scanDeliveryHost(q.QueryRowContext(ctx,
		`SELECT `+deliveryHostColumns+` FROM delivery_hosts WHERE host = ?`, host))
	if errors.Is(err, sql.ErrNoRows) {
		return &directory.DeliveryHost{Host: host}, nil
	}
	return h, err
}

// changeDeliveryHost applies change to the record of host in one write
// transaction and stores the result when change reports it changed.
func (db *DB) changeDeliveryHost(ctx context.Context, what, host string, change func(h *directory.DeliveryHost) bool) (*directory.DeliveryHost, error) {
	var h *directory.DeliveryHost
	err := db.inWrite(ctx, what, func(tx *sql.Tx) error {
		var err error
		if h, err = findDeliveryHost(ctx, tx, host); err != nil {
			return directory.Internal(err, what)
		}
		if !change(h) {
			return nil
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO delivery_hosts (`+deliveryHostColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET failures = excluded.failures, first_failure = excluded.first_failure,
				last_failure = excluded.last_failure, pauses = excluded.pauses, paused_until = excluded.paused_until,
				probe_until = excluded.probe_until, unavailable = excluded.unavailable`,
			h.Host, h.Failures, micros(h.FirstFailure), micros(h.LastFailure), h.Pauses,
			optMicros(h.PausedUntil), optMicros(h.ProbeUntil), boolInt(h.Unavailable))
		if err != nil {
			return directory.Internal(err, what)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// DeliveryFailed counts a failed delivery to host at time at under policy
// and returns the updated record.
func (db *DB) DeliveryFailed(ctx context.Context, host string, at time.Time, policy directory.DeliveryPolicy) (*directory.DeliveryHost, error) {
	return db.changeDeliveryHost(ctx, "delivery failed", host, func(h *directory.DeliveryHost) bool {
		h.Failed(at, policy)
		return true
	})
}

// ClaimDeliveryProbe makes the caller's delivery the probe of host when
// its pause has ended at at and no other probe holds the lease.
func (db *DB) ClaimDeliveryProbe(ctx context.Context, host string, at, until time.Time) (*directory.DeliveryHost, bool, error) {
	claimed := false
	h, err := db.changeDeliveryHost(ctx, "claim delivery probe", host, func(h *directory.DeliveryHost) bool {
		claimed = h.ClaimProbe(at, until)
		return claimed
	})
	return h, claimed, err
}

// DeliverySucceeded clears host's failures and its pause.
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
		}, `SELECT `+deliveryHostColumns+` FROM delivery_hosts WHERE unavailable ORDER BY host`)
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
