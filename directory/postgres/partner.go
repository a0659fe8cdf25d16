package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coopdir/coopdir/directory"
)

// Partnerships of directory.PartnerStore; the copies of partners' entries
// are in partner_remote.go.

const partnerColumns = `id, host, actor_id, inbox, name, summary, url, enterprises, listings,
	outgoing, outgoing_follow_id, incoming, incoming_follow_id, scope, backfill, created_at, updated_at, export_scope`

func scanPartner(row pgx.Row) (*directory.Partner, error) {
	var p directory.Partner
	err := row.Scan(&p.ID, &p.Host, &p.ActorID, &p.Inbox, &p.Name, &p.Summary, &p.URL, &p.Enterprises,
		&p.Listings, (*string)(&p.Outgoing), &p.OutgoingFollowID, (*string)(&p.Incoming), &p.IncomingFollowID,
		&p.Scope, &p.Backfill, &p.CreatedAt, &p.UpdatedAt, &p.ExportScope)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// partnerValues are the values of the columns an update writes: actor_id
// to updated_at and export_scope, in partnerColumns' order (pgx writes the
// scopes and backfill as JSON).
func partnerValues(p *directory.Partner) []any {
	return []any{p.ActorID, p.Inbox, p.Name, p.Summary, p.URL, p.Enterprises, p.Listings,
		string(p.Outgoing), p.OutgoingFollowID, string(p.Incoming), p.IncomingFollowID,
		p.Scope, p.Backfill, ts(p.UpdatedAt), p.ExportScope}
}

// writePartner runs a write of a partner, translating a broken state
// check (23514, check_violation) into EINVALID.
func (db *DB) writePartner(ctx context.Context, fn func(pgx.Tx) error) error {
	err := db.write(ctx, "partner", fn)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23514" {
		return &directory.Error{Code: directory.EINVALID, Message: "unknown partnership state", Err: err}
	}
	return err
}

// CreatePartner inserts p and sets p.ID. ECONFLICT when a partner with
// p.Host exists, EINVALID for an unknown state.
func (db *DB) CreatePartner(ctx context.Context, p *directory.Partner) error {
	var id int64
	err := db.writePartner(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO partners (host, created_at, actor_id, inbox, name, summary, url, enterprises,
				listings, outgoing, outgoing_follow_id, incoming, incoming_follow_id, scope, backfill, updated_at, export_scope)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			append([]any{p.Host, ts(p.CreatedAt)}, partnerValues(p)...)...).Scan(&id)
		if directory.ErrorCode(translate(err, "partner")) == directory.ECONFLICT {
			return &directory.Error{Code: directory.ECONFLICT, Message: p.Host + " is already a partner", Err: err}
		}
		return err
	})
	if err == nil {
		p.ID = id
	}
	return err
}

// UpdatePartner overwrites every field of partner p.ID but Host and
// CreatedAt. ENOTFOUND, EINVALID for an unknown state.
func (db *DB) UpdatePartner(ctx context.Context, p *directory.Partner) error {
	return db.writePartner(ctx, func(tx pgx.Tx) error { return updatePartner(ctx, tx, p) })
}

// ChangePartner changes partner id in one transaction that locks its row
// (SELECT ... FOR UPDATE), so that a concurrent change waits for this one
// and then reads its result. ENOTFOUND, EINVALID.
func (db *DB) ChangePartner(ctx context.Context, id int64, change func(*directory.Partner) error) (*directory.Partner, error) {
	var p, stored *directory.Partner
	err := db.writePartner(ctx, func(tx pgx.Tx) (err error) {
		p, err = scanPartner(tx.QueryRow(ctx, `SELECT `+partnerColumns+` FROM partners WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		copied := *p
		stored = &copied
		if err := change(p); err != nil {
			return err
		}
		return updatePartner(ctx, tx, p)
	})
	if errors.Is(err, directory.ErrNoChange) {
		return stored, nil
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// updatePartner overwrites partner p.ID in tx.
func updatePartner(ctx context.Context, tx pgx.Tx, p *directory.Partner) error {
	return tx.QueryRow(ctx, `
		UPDATE partners SET (actor_id, inbox, name, summary, url, enterprises, listings, outgoing,
			outgoing_follow_id, incoming, incoming_follow_id, scope, backfill, updated_at, export_scope)
			= ROW($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		WHERE id = $1 RETURNING id`, append([]any{p.ID}, partnerValues(p)...)...).Scan(new(int64))
}

// FindPartner returns partner id. ENOTFOUND.
func (db *DB) FindPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return db.findPartner(ctx, `id = $1`, id)
}

// FindPartnerByHost returns the partner with host. ENOTFOUND.
func (db *DB) FindPartnerByHost(ctx context.Context, host string) (*directory.Partner, error) {
	return db.findPartner(ctx, `host = $1`, host)
}

func (db *DB) findPartner(ctx context.Context, cond string, arg any) (*directory.Partner, error) {
	var p *directory.Partner
	err := db.read(ctx, "partner", func(tx pgx.Tx) (err error) {
		p, err = scanPartner(tx.QueryRow(ctx, `SELECT `+partnerColumns+` FROM partners WHERE `+cond, arg))
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ListPartners returns every partner, ordered by host.
func (db *DB) ListPartners(ctx context.Context) ([]*directory.Partner, error) {
	var out []*directory.Partner
	err := db.read(ctx, "partners", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanPartner, `SELECT `+partnerColumns+` FROM partners ORDER BY host`)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*directory.Partner{}
	}
	return out, nil
}

// DeletePartner removes partner id, not its entries. ENOTFOUND.
func (db *DB) DeletePartner(ctx context.Context, id int64) error {
	return db.write(ctx, "partner", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM partners WHERE id = $1 RETURNING id`, id).Scan(&id)
	})
}

// purgePartners removes the partnerships whose host lies in domain and
// counts them in p.
func purgePartners(ctx context.Context, tx pgx.Tx, domain string, p *directory.DomainPurge) error {
	ids, err := queryAll(ctx, tx, func(row pgx.Row) (int64, error) {
		var (
			id   int64
			host string
		)
		if err := row.Scan(&id, &host); err != nil || !directory.HostInDomain(host, domain) {
			return 0, err
		}
		return id, nil
	}, `SELECT id, host FROM partners WHERE strpos(lower(host), $1) > 0`, domain)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM partners WHERE id = ANY($1)`, ids)
	p.Partners = int(tag.RowsAffected())
	return err
}
