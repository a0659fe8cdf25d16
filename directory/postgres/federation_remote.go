package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

const remoteActorColumns = `id, type, username, name, url, inbox, shared_inbox, key_id, public_key_pem, peer, fetched_at`

func scanRemoteActor(row pgx.Row) (*directory.RemoteActor, error) {
	a := &directory.RemoteActor{}
	err := row.Scan(&a.ID, &a.Type, &a.Username, &a.Name, &a.URL, &a.Inbox, &a.SharedInbox, &a.KeyID,
		&a.PublicKeyPEM, &a.Peer, &a.FetchedAt)
	if err != nil {
		return nil, err
	}
	a.FetchedAt = a.FetchedAt.UTC()
	return a, nil
}

// SaveRemoteActor stores a, replacing what was kept of a.ID.
func (db *DB) SaveRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	_, err := db.exec(ctx, "remote actor", `
		INSERT INTO remote_actors (`+remoteActorColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET type = excluded.type, username = excluded.username,
			name = excluded.name, url = excluded.url, inbox = excluded.inbox,
			shared_inbox = excluded.shared_inbox, key_id = excluded.key_id,
			public_key_pem = excluded.public_key_pem, peer = excluded.peer, fetched_at = excluded.fetched_at`,
		a.ID, a.Type, a.Username, a.Name, a.URL, a.Inbox, a.SharedInbox, a.KeyID, a.PublicKeyPEM,
		a.Peer, ts(a.FetchedAt))
	return err
}

// FindRemoteActor returns the actor with id. ENOTFOUND.
func (db *DB) FindRemoteActor(ctx context.Context, id string) (*directory.RemoteActor, error) {
	return db.findRemoteActor(ctx, `id = $1`, id)
}

// FindRemoteActorByKey returns the actor whose key has keyID (the one
// fetched last, should two claim it). ENOTFOUND.
func (db *DB) FindRemoteActorByKey(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	return db.findRemoteActor(ctx, `key_id = $1 AND key_id <> '' ORDER BY fetched_at DESC, id LIMIT 1`, keyID)
}

func (db *DB) findRemoteActor(ctx context.Context, cond string, arg any) (*directory.RemoteActor, error) {
	var a *directory.RemoteActor
	err := db.readOne(ctx, "remote actor", func(q querier) (err error) {
		a, err = scanRemoteActor(q.QueryRow(ctx, `SELECT `+remoteActorColumns+` FROM remote_actors WHERE `+cond, arg))
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

const deliveryHostColumns = `host, failures, first_failure, last_failure, pauses, paused_until, probe_until, unavailable`

func scanDeliveryHost(row pgx.Row) (*directory.DeliveryHost, error) {
	h := &directory.DeliveryHost{}
	var pausedUntil, probe *time.Time
	if err := row.Scan(&h.Host, &h.Failures, &h.FirstFailure, &h.LastFailure, &h.Pauses, &pausedUntil, &probe, &h.Unavailable); err != nil {
		return nil, err
	}
	h.FirstFailure, h.LastFailure = h.FirstFailure.UTC(), h.LastFailure.UTC()
	h.PausedUntil, h.ProbeUntil = fromOptTime(pausedUntil), fromOptTime(probe)
	return h, nil
}

// optTime stores a zero time as NULL.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = ts(t)
	return &t
}

func fromOptTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// FindDeliveryHost returns the record of host; a host never seen (or whose
// last delivery succeeded) is a zero record with Host set.
func (db *DB) FindDeliveryHost(ctx context.Context, host string) (*directory.DeliveryHost, error) {
	var h *directory.DeliveryHost
	err := db.readOne(ctx, "delivery host", func(q querier) (err error) {
		h, err = scanDeliveryHost(q.QueryRow(ctx,
			`SELECT `+deliveryHostColumns+` FROM delivery_hosts WHERE host = $1`, host))
		if errors.Is(err, pgx.ErrNoRows) {
			h, err = &directory.DeliveryHost{Host: host}, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// changeDeliveryHost applies change to the record of host, locked, in one
// transaction, and stores the result when change reports it changed. The
// row is made before it is locked, so that concurrent changes of a new
// host queue on the lock instead of one failing to insert; it is removed
// again when the host has no failures to keep.
func (db *DB) changeDeliveryHost(ctx context.Context, host string, at time.Time, change func(h *directory.DeliveryHost) bool) (*directory.DeliveryHost, error) {
	var h *directory.DeliveryHost
	err := db.write(ctx, "delivery host", func(tx pgx.Tx) (err error) {
		_, err = tx.Exec(ctx, `INSERT INTO delivery_hosts (host, failures, first_failure, last_failure)
			VALUES ($1, 0, $2, $2) ON CONFLICT (host) DO NOTHING`, host, ts(at))
		if err != nil {
			return err
		}
		h, err = scanDeliveryHost(tx.QueryRow(ctx, `SELECT `+deliveryHostColumns+`
			FROM delivery_hosts WHERE host = $1 FOR UPDATE`, host))
		if err != nil {
			return err
		}
		if h.Failures == 0 {
			h = &directory.DeliveryHost{Host: host}
		}
		changed := change(h)
		switch {
		case h.Failures == 0:
			_, err = tx.Exec(ctx, `DELETE FROM delivery_hosts WHERE host = $1`, host)
		case changed:
			_, err = tx.Exec(ctx, `UPDATE delivery_hosts SET failures = $2, first_failure = $3, last_failure = $4,
				pauses = $5, paused_until = $6, probe_until = $7, unavailable = $8 WHERE host = $1`,
				h.Host, h.Failures, ts(h.FirstFailure), ts(h.LastFailure), h.Pauses, optTime(h.PausedUntil), optTime(h.ProbeUntil), h.Unavailable)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// DeliveryFailed counts a failed delivery to host at time at under policy
// and returns the updated record.
func (db *DB) DeliveryFailed(ctx context.Context, host string, at time.Time, policy directory.DeliveryPolicy) (*directory.DeliveryHost, error) {
	return db.changeDeliveryHost(ctx, host, at, func(h *directory.DeliveryHost) bool {
		h.Failed(at, policy)
		return true
	})
}

// ClaimDeliveryProbe makes the caller's delivery the probe of host when
// its pause has ended at at and no other probe holds the lease.
func (db *DB) ClaimDeliveryProbe(ctx context.Context, host string, at, until time.Time) (*directory.DeliveryHost, bool, error) {
	claimed := false
	h, err := db.changeDeliveryHost(ctx, host, at, func(h *directory.DeliveryHost) bool {
		claimed = h.ClaimProbe(at, until)
		return claimed
	})
	return h, claimed, err
}

// DeliverySucceeded clears host's failures and its pause.
func (db *DB) DeliverySucceeded(ctx context.Context, host string) error {
	_, err := db.exec(ctx, "delivery host", `DELETE FROM delivery_hosts WHERE host = $1`, host)
	return err
}

// ListUnavailableHosts returns the hosts marked unavailable, sorted.
func (db *DB) ListUnavailableHosts(ctx context.Context) ([]*directory.DeliveryHost, error) {
	var out []*directory.DeliveryHost
	err := db.read(ctx, "delivery hosts", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanDeliveryHost, `SELECT `+deliveryHostColumns+`
			FROM delivery_hosts WHERE unavailable ORDER BY host`)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Cursor returns the saved position named name, 0 when never saved.
func (db *DB) Cursor(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.read(ctx, "cursor", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT value FROM cursors WHERE name = $1`, name).Scan(&v)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return v, err
}

// SetCursor saves position value under name.
func (db *DB) SetCursor(ctx context.Context, name string, value int64) error {
	_, err := db.exec(ctx, "cursor", `INSERT INTO cursors (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = GREATEST(cursors.value, excluded.value)`, name, value)
	return err
}

// ListingsExpiring returns the local listings still open whose valid-until
// day lies in (afterDay, throughDay], oldest first. EINVALID when a day is
// not YYYY-MM-DD.
func (db *DB) ListingsExpiring(ctx context.Context, afterDay, throughDay string) ([]*directory.Listing, error) {
	if !directory.ValidDay(afterDay) || !directory.ValidDay(throughDay) {
		return nil, directory.Errorf(directory.EINVALID, "days must be YYYY-MM-DD")
	}
	var out []*directory.Listing
	err := db.read(ctx, "listings", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (*directory.Listing, error) { return scanListing(row) },
			`SELECT `+listingColumns+listingFrom+`
			WHERE l.status = 'open' AND l.origin = '' AND l.valid_until IS NOT NULL
				AND l.valid_until > $1::date AND l.valid_until <= $2::date
			ORDER BY l.valid_until, l.id`, afterDay, throughDay)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
