package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/coopdir/coopdir/directory"
)

// Partnerships of directory.PartnerStore; the copies of partners' entries
// are in partner_remote.go.

const partnerColumns = `id, host, actor_id, inbox, name, summary, url, enterprises, listings,
	outgoing, outgoing_follow_id, incoming, incoming_follow_id, scope, backfill, created_at, updated_at, export_scope`

func scanPartner(row scanner) (*directory.Partner, error) {
	var (
		p                directory.Partner
		scope, backfill  string
		export           string
		created, updated int64
	)
	err := row.Scan(&p.ID, &p.Host, &p.ActorID, &p.Inbox, &p.Name, &p.Summary, &p.URL, &p.Enterprises,
		&p.Listings, &p.Outgoing, &p.OutgoingFollowID, &p.Incoming, &p.IncomingFollowID, &scope, &backfill,
		&created, &updated, &export)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(export), &p.ExportScope); err != nil {
		return nil, directory.Internal(err, "read partner export scope")
	}
	if err := json.Unmarshal([]byte(scope), &p.Scope); err != nil {
		return nil, directory.Internal(err, "read partner scope")
	}
	if err := json.Unmarshal([]byte(backfill), &p.Backfill); err != nil {
		return nil, directory.Internal(err, "read partner backfill")
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &p, nil
}

// partnerValues are the values of the columns an update writes: actor_id
// to updated_at and export_scope, in partnerColumns' order, with the
// scopes and backfill as JSON. EINVALID for an unknown state.
func partnerValues(p *directory.Partner) ([]any, error) {
	for _, s := range []directory.PartnerState{p.Outgoing, p.Incoming} {
		switch s {
		case directory.PartnerNone, directory.PartnerPending, directory.PartnerActive, directory.PartnerRejected:
		default:
			return nil, directory.Errorf(directory.EINVALID, "unknown partnership state %q", s)
		}
	}
	scope, err := json.Marshal(p.Scope)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "partnership scope: %v", err)
	}
	backfill, err := json.Marshal(p.Backfill)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "partnership backfill: %v", err)
	}
	export, err := json.Marshal(p.ExportScope)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "partnership export scope: %v", err)
	}
	return []any{p.ActorID, p.Inbox, p.Name, p.Summary, p.URL, p.Enterprises, p.Listings,
		string(p.Outgoing), p.OutgoingFollowID, string(p.Incoming), p.IncomingFollowID,
		string(scope), string(backfill), micros(p.UpdatedAt), string(export)}, nil
}

// CreatePartner inserts p and sets p.ID. ECONFLICT when a partner with
// p.Host exists, EINVALID for an unknown state.
func (db *DB) CreatePartner(ctx context.Context, p *directory.Partner) error {
	values, err := partnerValues(p)
	if err != nil {
		return err
	}
	var id int64
	err = db.inWrite(ctx, "create partner", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO partners (host, created_at, actor_id, inbox, name, summary, url, enterprises,
				listings, outgoing, outgoing_follow_id, incoming, incoming_follow_id, scope, backfill, updated_at, export_scope)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append([]any{p.Host, micros(p.CreatedAt)}, values...)...).Scan(&id)
		if isUnique(err) {
			return directory.Errorf(directory.ECONFLICT, "%s is already a partner", p.Host)
		}
		if err != nil {
			return directory.Internal(err, "create partner")
		}
		return nil
	})
	if err == nil {
		p.ID = id
	}
	return err
}

// UpdatePartner overwrites every field of partner p.ID but Host and
// CreatedAt. ENOTFOUND, EINVALID for an unknown state.
func (db *DB) UpdatePartner(ctx context.Context, p *directory.Partner) error {
	return db.inWrite(ctx, "update partner", func(tx *sql.Tx) error { return writePartner(ctx, tx, p) })
}

// ChangePartner changes partner id in one write transaction (SQLite's
// immediate transactions hold the database for it). ENOTFOUND, EINVALID.
func (db *DB) ChangePartner(ctx context.Context, id int64, change func(*directory.Partner) error) (*directory.Partner, error) {
	var p, stored *directory.Partner
	err := db.inWrite(ctx, "change partner", func(tx *sql.Tx) (err error) {
		p, err = scanPartner(tx.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM partners WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "partner not found", "change partner")
		}
		copied := *p
		stored = &copied
		if err := change(p); err != nil {
			return err
		}
		return writePartner(ctx, tx, p)
	})
	if errors.Is(err, directory.ErrNoChange) {
		return stored, nil
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// writePartner overwrites partner p.ID in tx.
func writePartner(ctx context.Context, tx *sql.Tx, p *directory.Partner) error {
	values, err := partnerValues(p)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, `
		UPDATE partners SET actor_id = ?, inbox = ?, name = ?, summary = ?, url = ?, enterprises = ?,
			listings = ?, outgoing = ?, outgoing_follow_id = ?, incoming = ?, incoming_follow_id = ?,
			scope = ?, backfill = ?, updated_at = ?, export_scope = ?
		WHERE id = ? RETURNING id`, append(values, p.ID)...).Scan(new(int64))
	if err != nil {
		return notFound(err, "partner not found", "update partner")
	}
	return nil
}

// FindPartner returns partner id. ENOTFOUND.
func (db *DB) FindPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return db.findPartner(ctx, `id = ?`, id)
}

// FindPartnerByHost returns the partner with host. ENOTFOUND.
func (db *DB) FindPartnerByHost(ctx context.Context, host string) (*directory.Partner, error) {
	return db.findPartner(ctx, `host = ?`, host)
}

func (db *DB) findPartner(ctx context.Context, cond string, arg any) (*directory.Partner, error) {
	p, err := scanPartner(db.read.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM partners WHERE `+cond, arg))
	if err != nil {
		return nil, notFound(err, "partner not found", "find partner")
	}
	return p, nil
}

// ListPartners returns every partner, ordered by host.
func (db *DB) ListPartners(ctx context.Context) ([]*directory.Partner, error) {
	out := []*directory.Partner{}
	err := db.inRead(ctx, "list partners", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list partners", func(row scanner) error {
			p, err := scanPartner(row)
			if err != nil {
				return err
			}
			out = append(out, p)
			return nil
		}, `SELECT `+partnerColumns+` FROM partners ORDER BY host`)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeletePartner removes partner id, not its entries. ENOTFOUND.
func (db *DB) DeletePartner(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "delete partner", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM partners WHERE id = ? RETURNING id`, id).Scan(&id)
		if err != nil {
			return notFound(err, "partner not found", "delete partner")
		}
		return nil
	})
}

// purgePartners removes the partnerships whose host lies in domain and
// counts them in p.
func purgePartners(ctx context.Context, tx *sql.Tx, domain string, p *directory.DomainPurge) error {
	var ids []any
	err := eachRow(ctx, tx, "block domain", func(row scanner) error {
		var (
			id   int64
			host string
		)
		if err := row.Scan(&id, &host); err != nil {
			return err
		}
		if directory.HostInDomain(host, domain) {
			ids = append(ids, id)
		}
		return nil
	}, `SELECT id, host FROM partners WHERE instr(lower(host), ?) > 0`, domain)
	if err != nil {
		return err
	}
	p.Partners, err = deleteKeys(ctx, tx, `DELETE FROM partners WHERE id IN (%s)`, ids)
	return err
}
