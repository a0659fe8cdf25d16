package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// ActorKey returns the key of actor. ENOTFOUND.
func (db *DB) ActorKey(ctx context.Context, actor string) (*directory.ActorKey, error) {
	k := &directory.ActorKey{}
	err := db.read(ctx, "actor key", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			SELECT actor, public_pem, private_sealed, created_at FROM actor_keys WHERE actor = $1`, actor,
		).Scan(&k.Actor, &k.PublicPEM, &k.PrivateSealed, &k.CreatedAt)
	})
	if err != nil {
		return nil, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return k, nil
}

// CreateActorKey stores the first key of k.Actor. ECONFLICT when it has one.
func (db *DB) CreateActorKey(ctx context.Context, k *directory.ActorKey) error {
	err := db.write(ctx, "create actor key", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO actor_keys (actor, public_pem, private_sealed, created_at) VALUES ($1, $2, $3, $4)`,
			k.Actor, k.PublicPEM, k.PrivateSealed, ts(k.CreatedAt))
		return err
	})
	if directory.ErrorCode(err) == directory.ECONFLICT {
		return &directory.Error{Code: directory.ECONFLICT, Message: "actor already has a key", Err: err}
	}
	return err
}

// ReplaceActorKey stores k as the key of k.Actor, replacing any it had.
func (db *DB) ReplaceActorKey(ctx context.Context, k *directory.ActorKey) error {
	return db.write(ctx, "replace actor key", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO actor_keys (actor, public_pem, private_sealed, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (actor) DO UPDATE SET public_pem = excluded.public_pem,
				private_sealed = excluded.private_sealed, created_at = excluded.created_at`,
			k.Actor, k.PublicPEM, k.PrivateSealed, ts(k.CreatedAt))
		return err
	})
}
