package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// ActorKey returns the key of actor. ENOTFOUND.
func (db *DB) ActorKey(ctx context.Context, actor string) (*directory.ActorKey, error) {
	k := &directory.ActorKey{}
	var created int64
	err := db.read.QueryRowContext(ctx, `
		SELECT actor, public_pem, private_sealed, created_at FROM actor_keys WHERE actor = ?`, actor,
	).Scan(&k.Actor, &k.PublicPEM, &k.PrivateSealed, &created)
	if err != nil {
		return nil, notFound(err, "actor has no key", "read actor key")
	}
	k.CreatedAt = fromMicros(created)
	return k, nil
}

// CreateActorKey stores the first key of k.Actor. ECONFLICT when it has one.
func (db *DB) CreateActorKey(ctx context.Context, k *directory.ActorKey) error {
	return db.inWrite(ctx, "create actor key", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO actor_keys (actor, public_pem, private_sealed, created_at) VALUES (?, ?, ?, ?)`,
			k.Actor, k.PublicPEM, k.PrivateSealed, micros(k.CreatedAt))
		if isUnique(err) {
			return directory.Errorf(directory.ECONFLICT, "actor already has a key")
		}
		if err != nil {
			return directory.Internal(err, "create actor key")
		}
		return nil
	})
}

// ReplaceActorKey stores k as the key of k.Actor, replacing any it had.
func (db *DB) ReplaceActorKey(ctx context.Context, k *directory.ActorKey) error {
	return db.inWrite(ctx, "replace actor key", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO actor_keys (actor, public_pem, private_sealed, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (actor) DO UPDATE SET public_pem = excluded.public_pem,
				private_sealed = excluded.private_sealed, created_at = excluded.created_at`,
			k.Actor, k.PublicPEM, k.PrivateSealed, micros(k.CreatedAt))
		if err != nil {
			return directory.Internal(err, "replace actor key")
		}
		return nil
	})
}
