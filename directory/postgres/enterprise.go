package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// enterpriseColumns is what scanEnterprise reads, from enterprises e.
const enterpriseColumns = `e.id, e.origin, e.handle, e.name, e.kind, e.summary, e.summary_html,
	e.website, e.email, e.phone, e.address, e.lat, e.lon, e.radius_km, e.founded, e.governance,
	e.membership, e.languages, e.logo, e.demo, e.remote_id, e.remote_url, e.created_at, e.updated_at,
	e.translations, ARRAY(SELECT s.sector FROM enterprise_sectors s WHERE s.enterprise_id = e.id ORDER BY s.position)`

// scanEnterprise reads enterpriseColumns, then extra.
func scanEnterprise(row pgx.Row, extra ...any) (*directory.Enterprise, error) {
	e := &directory.Enterprise{}
	l := &e.Location
	dest := []any{&e.ID, &e.Origin, &e.Handle, &e.Name, (*string)(&e.Kind), &e.Summary, &e.SummaryHTML,
		&e.Website, &e.Email, &e.Phone, &l.Address, &l.Lat, &l.Lon, &l.RadiusKM, &e.Founded, &e.Governance,
		(*string)(&e.Membership), &e.Languages, &e.Logo, &e.Demo, &e.RemoteID, &e.RemoteURL, &e.CreatedAt, &e.UpdatedAt,
		&e.Translations, &e.Sectors}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.Sectors, e.Languages = strs(e.Sectors), strs(e.Languages)
	return e, nil
}

// enterpriseFields lists, in order, the columns that an update overwrites;
// enterpriseValues gives their values.
const enterpriseFields = `name, name_key, kind, summary, summary_html, website, email, phone, address,
	lat, lon, radius_km, founded, governance, membership, languages, logo, demo, remote_id,
	remote_url, updated_at, search_name, search_tags, search_body, search_vocab, translations`

func enterpriseValues(e *directory.Enterprise) []any {
	l := e.Location
	tags := append([]string{e.Kind.Label()}, e.Sectors...)
	lang := fulltext.EntryLanguage(e.Languages)
	return []any{e.Name, strings.ToLower(e.Name), string(e.Kind), e.Summary, e.SummaryHTML, e.Website, e.Email, e.Phone, l.Address,
		l.Lat, l.Lon, l.RadiusKM, e.Founded, e.Governance, string(e.Membership), strs(e.Languages), e.Logo, e.Demo, e.RemoteID,
		e.RemoteURL, ts(e.UpdatedAt),
		// Full text, folded and stemmed in the enterprise's language here
		// so that both engines index the same words.
		fulltext.Document(lang, e.Handle, e.Name),
		fulltext.Document(lang, tags...),
		fulltext.Document(lang, e.Summary, l.Address) + e.Translations.IndexedWords(),
		strs(fulltext.Words(append(append(tags, e.Handle, e.Name, e.Summary, l.Address), e.Translations.Texts()...)...)),
		e.Translations.Encode()}
}

// insertEnterpriseColumns are the columns of an insert: $1 origin,
// $2 handle, $3 created_at, $4… enterpriseFields.
const insertEnterpriseColumns = `origin, handle, created_at, ` + enterpriseFields

// insertEnterpriseSQL inserts an enterprise (insertEnterpriseColumns, then
// $30 sectors) with its sectors.
const insertEnterpriseSQL = `
	WITH e AS (
		INSERT INTO enterprises (` + insertEnterpriseColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
			$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
		RETURNING id
	), sectors AS (
		INSERT INTO enterprise_sectors (enterprise_id, position, sector, kind, origin)
		SELECT e.id, s.position, s.sector, $6, $1
		FROM e, unnest($30::text[]) WITH ORDINALITY AS s (sector, position)
	)
	SELECT id FROM e`

func insertEnterpriseArgs(e *directory.Enterprise) []any {
	args := append([]any{e.Origin, e.Handle, ts(e.CreatedAt)}, enterpriseValues(e)...)
	return append(args, strs(e.Sectors))
}

// updateEnterpriseSQL overwrites enterprise $1 with $2… enterpriseFields.
const updateEnterpriseSQL = `
	UPDATE enterprises SET (` + enterpriseFields + `) = ROW($2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
	WHERE id = $1
	RETURNING id`

const (
	deleteSectorsSQL = `DELETE FROM enterprise_sectors WHERE enterprise_id = $1`
	// The sectors carry a copy of their enterprise's kind and origin, which
	// the sector counts read.
	insertSectorsSQL = `
		INSERT INTO enterprise_sectors (enterprise_id, position, sector, kind, origin)
		SELECT e.id, s.position, s.sector, e.kind, e.origin
		FROM enterprises e, unnest($2::text[]) WITH ORDINALITY AS s (sector, position)
		WHERE e.id = $1`
	// dropImagesSQL deletes the stored images of enterprise $1 but $2, the
	// one its logo names ("" when none).
	dropImagesSQL = `DELETE FROM images WHERE enterprise_id = $1 AND id <> $2`
)

// logoImage returns the id of the stored image e's logo names, or "".
func logoImage(e *directory.Enterprise) string {
	id, _ := directory.StoredImageID(e.Logo)
	return id
}

// stored normalises e to what a read gives back.
func stored(e *directory.Enterprise) {
	e.CreatedAt, e.UpdatedAt = ts(e.CreatedAt), ts(e.UpdatedAt)
	e.Sectors, e.Languages = strs(e.Sectors), strs(e.Languages)
}

// CreateEnterprise inserts e, sets e.ID and records ev. ECONFLICT.
func (db *DB) CreateEnterprise(ctx context.Context, e *directory.Enterprise, ev directory.Event) error {
	var id int64
	err := db.write(ctx, "enterprise", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, insertEnterpriseSQL, insertEnterpriseArgs(e)...).Scan(&id); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
	if err != nil {
		return err
	}
	e.ID = id
	stored(e)
	return nil
}

// UpdateEnterprise overwrites enterprise e.ID (but its handle, origin and
// creation time) and records ev. ENOTFOUND.
func (db *DB) UpdateEnterprise(ctx context.Context, e *directory.Enterprise, ev directory.Event) error {
	err := db.write(ctx, "enterprise", func(tx pgx.Tx) error {
		if err := updateEnterprise(ctx, tx, e); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
	if err == nil {
		e.UpdatedAt = ts(e.UpdatedAt)
	}
	return err
}

// updateEnterprise overwrites enterprise e.ID and its sectors, and deletes
// its stored images but the one its logo names.
func updateEnterprise(ctx context.Context, tx pgx.Tx, e *directory.Enterprise) error {
	var old []string
	// The listings are indexed in the enterprise's language: a new one
	// reindexes them.
	if err := tx.QueryRow(ctx, `SELECT languages FROM enterprises WHERE id = $1`, e.ID).Scan(&old); err != nil {
		return err
	}
	args := append([]any{e.ID}, enterpriseValues(e)...)
	if err := tx.QueryRow(ctx, updateEnterpriseSQL, args...).Scan(new(int64)); err != nil {
		return err
	}
	if fulltext.EntryLanguage(old) != fulltext.EntryLanguage(e.Languages) {
		if _, err := reindexListings(ctx, tx, `l.enterprise_id = $1`, e.ID); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, deleteSectorsSQL, e.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, insertSectorsSQL, e.ID, strs(e.Sectors)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, dropImagesSQL, e.ID, logoImage(e))
	return err
}

// DeleteEnterprise removes enterprise id with its listings and announcements
// and records ev. ENOTFOUND.
func (db *DB) DeleteEnterprise(ctx context.Context, id int64, ev directory.Event) error {
	return db.write(ctx, "enterprise", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `DELETE FROM enterprises WHERE id = $1 RETURNING id`, id).Scan(&id); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
}

// FindEnterprise returns the enterprise handle of origin. ENOTFOUND.
func (db *DB) FindEnterprise(ctx context.Context, origin, handle string) (*directory.Enterprise, error) {
	var e *directory.Enterprise
	err := db.read(ctx, "enterprise", func(tx pgx.Tx) (err error) {
		e, err = scanEnterprise(tx.QueryRow(ctx, `SELECT `+enterpriseColumns+`
			FROM enterprises e WHERE e.origin = $1 AND e.handle = $2`, origin, handle))
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// importBatch is how many enterprises go to the server in one round trip.
const importBatch = 500

// ImportEnterprises inserts creates and overwrites updates in one
// transaction, with a created or updated event for each. ECONFLICT.
func (db *DB) ImportEnterprises(ctx context.Context, creates, updates []*directory.Enterprise, at time.Time) error {
	ids := make([]int64, len(creates))
	err := db.write(ctx, "import", func(tx pgx.Tx) error {
		evs := make([]directory.Event, 0, len(creates)+len(updates))
		b := &pgx.Batch{}
		for i, e := range creates {
			queueInsertEnterprise(b, e, &ids[i])
			evs = append(evs, importEvent(directory.EventEnterpriseCreated, e, at))
			if err := flush(ctx, tx, b); err != nil {
				return err
			}
		}
		for _, e := range updates {
			queueUpdateEnterprise(b, e)
			evs = append(evs, importEvent(directory.EventEnterpriseUpdated, e, at))
			if err := flush(ctx, tx, b); err != nil {
				return err
			}
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		return recordEvents(ctx, tx, evs...)
	})
	if err != nil {
		return err
	}
	for i, e := range creates {
		e.ID = ids[i]
		stored(e)
	}
	for _, e := range updates {
		stored(e)
	}
	return nil
}

// queueInsertEnterprise queues the insert of e with its sectors; id gets
// its id when the batch runs.
func queueInsertEnterprise(b *pgx.Batch, e *directory.Enterprise, id *int64) {
	b.Queue(insertEnterpriseSQL, insertEnterpriseArgs(e)...).QueryRow(func(row pgx.Row) error {
		return row.Scan(id)
	})
}

// queueUpdateEnterprise queues what updateEnterprise does: the update of
// enterprise e.ID, its sectors and its stored images.
func queueUpdateEnterprise(b *pgx.Batch, e *directory.Enterprise) {
	b.Queue(updateEnterpriseSQL, append([]any{e.ID}, enterpriseValues(e)...)...).QueryRow(func(row pgx.Row) error {
		return row.Scan(new(int64))
	})
	b.Queue(deleteSectorsSQL, e.ID)
	b.Queue(insertSectorsSQL, e.ID, strs(e.Sectors))
	b.Queue(dropImagesSQL, e.ID, logoImage(e))
}

func importEvent(t directory.EventType, e *directory.Enterprise, at time.Time) directory.Event {
	return directory.Event{Type: t, EnterpriseHandle: e.Handle, Origin: e.Origin, At: at}
}

// flush sends b and empties it once it holds importBatch statements or more.
func flush(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error {
	if b.Len() < importBatch {
		return nil
	}
	err := tx.SendBatch(ctx, b).Close()
	*b = pgx.Batch{}
	return err
}

// AllEnterprises calls fn for every local enterprise, by handle, and stops
// at fn's first error, which it returns.
func (db *DB) AllEnterprises(ctx context.Context, fn func(*directory.Enterprise) error) error {
	var fnErr error
	err := db.read(ctx, "enterprises", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+enterpriseColumns+`
			FROM enterprises e WHERE e.origin = '' ORDER BY e.handle`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEnterprise(rows)
			if err != nil {
				return err
			}
			if fnErr = fn(e); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}
