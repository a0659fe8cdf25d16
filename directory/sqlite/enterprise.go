package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// enterpriseColumns are read by every query that returns enterprises (alias
// e); scanEnterprise reads them in this order. The sectors come from their
// own table, in their stored order.
const enterpriseColumns = `e.id, e.origin, e.handle, e.name, e.kind, e.summary, e.summary_html,
	e.website, e.email, e.phone, e.address, e.lat, e.lon, e.radius_km, e.founded,
	e.governance, e.membership, e.languages, e.logo, e.demo, e.remote_id, e.remote_url,
	e.created_at, e.updated_at, e.translations,
	(SELECT json_group_array(s.sector ORDER BY s.position)
	   FROM enterprise_sectors s WHERE s.enterprise_id = e.id)`

type scanner interface{ Scan(dest ...any) error }

func scanEnterprise(row scanner) (*directory.Enterprise, error) {
	var (
		e                  directory.Enterprise
		lat, lon, radius   sql.NullFloat64
		languages, sectors string
		translations       string
		created, updated   int64
	)
	err := row.Scan(&e.ID, &e.Origin, &e.Handle, &e.Name, &e.Kind, &e.Summary, &e.SummaryHTML,
		&e.Website, &e.Email, &e.Phone, &e.Location.Address, &lat, &lon, &radius, &e.Founded,
		&e.Governance, &e.Membership, &languages, &e.Logo, &e.Demo, &e.RemoteID, &e.RemoteURL,
		&created, &updated, &translations, &sectors)
	if err != nil {
		return nil, err
	}
	e.Location.Lat, e.Location.Lon, e.Location.RadiusKM = fromNullFloat(lat), fromNullFloat(lon), fromNullFloat(radius)
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	if e.Languages, err = decodeList(languages); err != nil {
		return nil, err
	}
	if e.Sectors, err = decodeList(sectors); err != nil {
		return nil, err
	}
	if e.Translations, err = directory.DecodeTranslations(translations); err != nil {
		return nil, err
	}
	return &e, nil
}

// decodeList reads a JSON array of strings; it never returns a nil slice.
func decodeList(s string) ([]string, error) {
	list := []string{}
	if s == "" {
		return list, nil
	}
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, err
	}
	if list == nil {
		list = []string{}
	}
	return list, nil
}

func encodeList(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(list) // a []string always marshals
	return string(b)
}

// CreateEnterprise inserts e, sets e.ID and records ev. ECONFLICT when
// (origin, handle) is taken.
func (db *DB) CreateEnterprise(ctx context.Context, e *directory.Enterprise, ev directory.Event) error {
	var id int64
	err := db.inWrite(ctx, "create enterprise", func(tx *sql.Tx) error {
		var err error
		if id, err = insertEnterprise(ctx, tx, e); err != nil {
			return err
		}
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		e.ID = id
	}
	return err
}

func insertEnterprise(ctx context.Context, tx dbtx, e *directory.Enterprise) (int64, error) {
	id, err := insertEnterpriseRow(ctx, tx, e)
	if err != nil {
		return 0, err
	}
	return id, indexEnterprise(ctx, tx, id, e.Handle, e)
}

// insertEnterpriseRow inserts e with its sectors, not its full-text entry.
func insertEnterpriseRow(ctx context.Context, tx dbtx, e *directory.Enterprise) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO enterprises (origin, handle, name, name_key, kind, summary, summary_html,
			website, email, phone, address, lat, lon, radius_km, founded, governance,
			membership, languages, logo, demo, remote_id, remote_url, created_at, updated_at,
			translations)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		e.Origin, e.Handle, e.Name, strings.ToLower(e.Name), string(e.Kind), e.Summary, e.SummaryHTML,
		e.Website, e.Email, e.Phone, e.Location.Address,
		nullFloat(e.Location.Lat), nullFloat(e.Location.Lon), nullFloat(e.Location.RadiusKM),
		e.Founded, e.Governance, string(e.Membership), encodeList(e.Languages), e.Logo,
		boolInt(e.Demo), e.RemoteID, e.RemoteURL, micros(e.CreatedAt), micros(e.UpdatedAt),
		e.Translations.Encode(),
	).Scan(&id)
	if isUnique(err) {
		return 0, directory.Errorf(directory.ECONFLICT, "the handle %q is already taken", e.Handle)
	}
	if err != nil {
		return 0, directory.Internal(err, "insert enterprise")
	}
	return id, writeSectors(ctx, tx, id, e.Sectors)
}

// UpdateEnterprise overwrites the stored fields of enterprise e.ID but its
// handle, origin and creation time, and records ev. ENOTFOUND. On success e
// carries the stored handle, origin and creation time.
func (db *DB) UpdateEnterprise(ctx context.Context, e *directory.Enterprise, ev directory.Event) error {
	var kept storedIdentity
	err := db.inWrite(ctx, "update enterprise", func(tx *sql.Tx) error {
		var err error
		if kept, err = updateEnterprise(ctx, tx, e); err != nil {
			return err
		}
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		e.Handle, e.Origin, e.CreatedAt = kept.handle, kept.origin, kept.createdAt
	}
	return err
}

// storedIdentity holds the fields an update never changes.
type storedIdentity struct {
	handle, origin string
	createdAt      time.Time
}

func updateEnterprise(ctx context.Context, tx dbtx, e *directory.Enterprise) (storedIdentity, error) {
	var old string
	// The listings are indexed in the enterprise's language: a new one
	// reindexes them.
	if err := tx.QueryRowContext(ctx, `SELECT languages FROM enterprises WHERE id = ?`, e.ID).Scan(&old); err != nil {
		return storedIdentity{}, notFound(err, "enterprise not found", "update enterprise")
	}
	kept, err := updateEnterpriseRow(ctx, tx, e)
	if err != nil {
		return kept, err
	}
	if err := reindexEnterprise(ctx, tx, e.ID, kept.handle, e); err != nil {
		return kept, err
	}
	oldLangs, _ := decodeList(old)
	if fulltext.EntryLanguage(oldLangs) == fulltext.EntryLanguage(e.Languages) {
		return kept, nil
	}
	_, err = reindexListings(ctx, tx, "l.enterprise_id = ?", e.ID)
	return kept, err
}

// updateEnterpriseRow overwrites enterprise e.ID and its sectors, and
// deletes its stored images but the one its logo names; not its full-text
// entry.
func updateEnterpriseRow(ctx context.Context, tx dbtx, e *directory.Enterprise) (storedIdentity, error) {
	var (
		kept    storedIdentity
		created int64
	)
	err := tx.QueryRowContext(ctx, `
		UPDATE enterprises SET name = ?, name_key = ?, kind = ?, summary = ?, summary_html = ?,
			website = ?, email = ?, phone = ?, address = ?, lat = ?, lon = ?, radius_km = ?,
			founded = ?, governance = ?, membership = ?, languages = ?, logo = ?, demo = ?,
			remote_id = ?, remote_url = ?, updated_at = ?, translations = ?
		WHERE id = ?
		RETURNING handle, origin, created_at`,
		e.Name, strings.ToLower(e.Name), string(e.Kind), e.Summary, e.SummaryHTML,
		e.Website, e.Email, e.Phone, e.Location.Address,
		nullFloat(e.Location.Lat), nullFloat(e.Location.Lon), nullFloat(e.Location.RadiusKM),
		e.Founded, e.Governance, string(e.Membership), encodeList(e.Languages), e.Logo,
		boolInt(e.Demo), e.RemoteID, e.RemoteURL, micros(e.UpdatedAt), e.Translations.Encode(), e.ID,
	).Scan(&kept.handle, &kept.origin, &created)
	if err != nil {
		return kept, notFound(err, "enterprise not found", "update enterprise")
	}
	kept.createdAt = fromMicros(created)
	if _, err := tx.ExecContext(ctx, `DELETE FROM enterprise_sectors WHERE enterprise_id = ?`, e.ID); err != nil {
		return kept, directory.Internal(err, "update enterprise sectors")
	}
	if err := writeSectors(ctx, tx, e.ID, e.Sectors); err != nil {
		return kept, err
	}
	return kept, dropOldImages(ctx, tx, e.ID, e.Logo)
}

// reindexEnterprise replaces the full-text entry of enterprise id.
func reindexEnterprise(ctx context.Context, tx dbtx, id int64, handle string, e *directory.Enterprise) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM enterprises_fts WHERE rowid = ?`, id); err != nil {
		return directory.Internal(err, "update enterprise index")
	}
	return indexEnterprise(ctx, tx, id, handle, e)
}

// writeSectors stores the sectors of enterprise id, with the copy of its
// kind and origin that the sector counts read.
func writeSectors(ctx context.Context, tx dbtx, id int64, sectors []string) error {
	if len(sectors) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO enterprise_sectors (enterprise_id, position, sector, kind, origin)
		SELECT e.id, s.key, s.value, e.kind, e.origin FROM enterprises e, json_each(?) s WHERE e.id = ?`,
		encodeList(sectors), id)
	if err != nil {
		return directory.Internal(err, "insert enterprise sectors")
	}
	return nil
}

// indexEnterprise writes the full-text entry of enterprise id, in its
// language, and adds its words to the vocabulary.
func indexEnterprise(ctx context.Context, tx dbtx, id int64, handle string, e *directory.Enterprise) error {
	tags := append([]string{e.Kind.Label()}, e.Sectors...)
	lang := fulltext.EntryLanguage(e.Languages)
	_, err := tx.ExecContext(ctx, `INSERT INTO enterprises_fts (rowid, name, tags, body) VALUES (?, ?, ?, ?)`,
		id, fulltext.Document(lang, handle, e.Name), fulltext.Document(lang, tags...),
		fulltext.Document(lang, e.Summary, e.Location.Address)+e.Translations.IndexedWords())
	if err != nil {
		return directory.Internal(err, "index enterprise")
	}
	return addWords(ctx, tx, fulltext.Words(append(append(tags, handle, e.Name, e.Summary, e.Location.Address), e.Translations.Texts()...)...))
}

// DeleteEnterprise removes enterprise id with its listings and announcements
// and records ev. Its users lose it. ENOTFOUND.
func (db *DB) DeleteEnterprise(ctx context.Context, id int64, ev directory.Event) error {
	return db.inWrite(ctx, "delete enterprise", func(tx *sql.Tx) error {
		var deleted int64
		err := tx.QueryRowContext(ctx, `DELETE FROM enterprises WHERE id = ? RETURNING id`, id).Scan(&deleted)
		if err != nil {
			return notFound(err, "enterprise not found", "delete enterprise")
		}
		return insertEvent(ctx, tx, ev)
	})
}

// FindEnterprise returns the enterprise with this handle from this origin.
// ENOTFOUND.
func (db *DB) FindEnterprise(ctx context.Context, origin, handle string) (*directory.Enterprise, error) {
	e, err := scanEnterprise(db.read.QueryRowContext(ctx,
		`SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.origin = ? AND e.handle = ?`, origin, handle))
	if err != nil {
		return nil, notFound(err, "enterprise not found", "find enterprise")
	}
	return e, nil
}

// ImportEnterprises inserts creates and overwrites updates in one
// transaction, recording a created or updated event for each at time at.
// Nothing is written when any row fails. ECONFLICT, ENOTFOUND.
func (db *DB) ImportEnterprises(ctx context.Context, creates, updates []*directory.Enterprise, at time.Time) error {
	ids := make([]int64, len(creates))
	err := db.inWrite(ctx, "import enterprises", func(tx *sql.Tx) error {
		for i, e := range creates {
			var err error
			if ids[i], err = insertEnterprise(ctx, tx, e); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, importEvent(directory.EventEnterpriseCreated, e.Handle, e.Origin, at)); err != nil {
				return err
			}
		}
		for _, e := range updates {
			kept, err := updateEnterprise(ctx, tx, e)
			if err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, importEvent(directory.EventEnterpriseUpdated, kept.handle, kept.origin, at)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		for i, e := range creates {
			e.ID = ids[i]
		}
	}
	return err
}

func importEvent(t directory.EventType, handle, origin string, at time.Time) directory.Event {
	return directory.Event{Type: t, EnterpriseHandle: handle, Origin: origin, At: at}
}

// AllEnterprises calls fn for every local enterprise, ordered by handle, all
// read from one snapshot. It stops at fn's first error and returns it.
func (db *DB) AllEnterprises(ctx context.Context, fn func(*directory.Enterprise) error) error {
	return db.inRead(ctx, "list enterprises", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx,
			`SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.origin = '' ORDER BY e.handle`)
		if err != nil {
			return directory.Internal(err, "list enterprises")
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEnterprise(rows)
			if err != nil {
				return directory.Internal(err, "scan enterprise")
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return directory.Internal(err, "list enterprises")
		}
		return nil
	})
}
