package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// listingColumns are read by every query that returns listings; listingFrom
// joins the enterprise for its handle and name.
const listingColumns = `l.id, l.enterprise_id, e.handle, e.name, l.origin, l.type, l.title,
	l.description, l.description_html, l.category, l.quantity, l.unit, l.address,
	l.lat, l.lon, l.radius_km, l.valid_until, l.status, l.demo, l.remote_id, l.remote_url,
	l.created_at, l.updated_at, l.translations,
	coalesce(json_extract(e.languages, '$[0]'), '')`

const listingFrom = `listings l JOIN enterprises e ON e.id = l.enterprise_id`

func scanListing(row scanner) (*directory.Listing, error) {
	var (
		l                          directory.Listing
		quantity, lat, lon, radius sql.NullFloat64
		validUntil                 sql.NullString
		created, updated           int64
		translations               string
	)
	err := row.Scan(&l.ID, &l.EnterpriseID, &l.EnterpriseHandle, &l.EnterpriseName, &l.Origin,
		&l.Type, &l.Title, &l.Description, &l.DescriptionHTML, &l.Category, &quantity, &l.Unit,
		&l.Location.Address, &lat, &lon, &radius, &validUntil, &l.Status, &l.Demo,
		&l.RemoteID, &l.RemoteURL, &created, &updated, &translations, &l.Language)
	if err != nil {
		return nil, err
	}
	l.Quantity = fromNullFloat(quantity)
	l.Location.Lat, l.Location.Lon, l.Location.RadiusKM = fromNullFloat(lat), fromNullFloat(lon), fromNullFloat(radius)
	l.ValidUntil = validUntil.String
	l.CreatedAt, l.UpdatedAt = fromMicros(created), fromMicros(updated)
	if l.Translations, err = directory.DecodeTranslations(translations); err != nil {
		return nil, err
	}
	return &l, nil
}

// CreateListing inserts l, sets l.ID and records ev with the new id.
// ENOTFOUND when l.EnterpriseID does not exist.
func (db *DB) CreateListing(ctx context.Context, l *directory.Listing, ev directory.Event) error {
	var id int64
	err := db.inWrite(ctx, "create listing", func(tx *sql.Tx) error {
		var err error
		if id, err = insertListing(ctx, tx, l); err != nil {
			return err
		}
		ev.ListingID = id
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		l.ID = id
	}
	return err
}

func insertListing(ctx context.Context, tx dbtx, l *directory.Listing) (int64, error) {
	id, err := insertListingRow(ctx, tx, l)
	if err != nil {
		return 0, err
	}
	return id, indexListing(ctx, tx, id, l)
}

// insertListingRow inserts l, not its full-text entry.
func insertListingRow(ctx context.Context, tx dbtx, l *directory.Listing) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO listings (id, enterprise_id, origin, type, title, title_key, description,
			description_html, category, quantity, unit, address, lat, lon, radius_km,
			valid_until, status, demo, remote_id, remote_url, created_at, updated_at, translations)
		VALUES (`+nextID("listings")+`, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		l.EnterpriseID, l.Origin, string(l.Type), l.Title, strings.ToLower(l.Title),
		l.Description, l.DescriptionHTML, string(l.Category), nullFloat(l.Quantity), l.Unit,
		l.Location.Address, nullFloat(l.Location.Lat), nullFloat(l.Location.Lon),
		nullFloat(l.Location.RadiusKM), nullText(l.ValidUntil), string(l.Status),
		boolInt(l.Demo), l.RemoteID, l.RemoteURL, micros(l.CreatedAt), micros(l.UpdatedAt),
		l.Translations.Encode(),
	).Scan(&id)
	switch {
	case isForeignKey(err):
		return 0, directory.Errorf(directory.ENOTFOUND, "the listing's enterprise does not exist")
	case err != nil:
		return 0, directory.Internal(err, "insert listing")
	}
	return id, queueMatch(ctx, tx, id)
}

// UpdateListing overwrites the stored fields of listing l.ID but its
// enterprise, type, origin and creation time, and records ev. ENOTFOUND. On
// success l carries the stored enterprise, type, origin and creation time.
func (db *DB) UpdateListing(ctx context.Context, l *directory.Listing, ev directory.Event) error {
	var kept directory.Listing
	err := db.inWrite(ctx, "update listing", func(tx *sql.Tx) error {
		var err error
		if kept, err = updateListing(ctx, tx, l); err != nil {
			return err
		}
		ev.ListingID = l.ID
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		l.EnterpriseID, l.Type, l.Origin, l.CreatedAt = kept.EnterpriseID, kept.Type, kept.Origin, kept.CreatedAt
	}
	return err
}

// updateListing overwrites the stored fields of listing l.ID and its
// full-text entry, and returns what an update keeps: its enterprise, type,
// origin and creation time. ENOTFOUND.
func updateListing(ctx context.Context, tx dbtx, l *directory.Listing) (directory.Listing, error) {
	kept, err := updateListingRow(ctx, tx, l)
	if err != nil {
		return kept, err
	}
	return kept, reindexListing(ctx, tx, l.ID, l)
}

// updateListingRow is updateListing without the full-text entry.
func updateListingRow(ctx context.Context, tx dbtx, l *directory.Listing) (directory.Listing, error) {
	var (
		kept    directory.Listing
		created int64
	)
	err := tx.QueryRowContext(ctx, `
		UPDATE listings SET title = ?, title_key = ?, description = ?, description_html = ?,
			category = ?, quantity = ?, unit = ?, address = ?, lat = ?, lon = ?, radius_km = ?,
			valid_until = ?, status = ?, demo = ?, remote_id = ?, remote_url = ?, updated_at = ?,
			translations = ?
		WHERE id = ?
		RETURNING enterprise_id, type, origin, created_at`,
		l.Title, strings.ToLower(l.Title), l.Description, l.DescriptionHTML,
		string(l.Category), nullFloat(l.Quantity), l.Unit, l.Location.Address,
		nullFloat(l.Location.Lat), nullFloat(l.Location.Lon), nullFloat(l.Location.RadiusKM),
		nullText(l.ValidUntil), string(l.Status), boolInt(l.Demo), l.RemoteID, l.RemoteURL,
		micros(l.UpdatedAt), l.Translations.Encode(), l.ID,
	).Scan(&kept.EnterpriseID, &kept.Type, &kept.Origin, &created)
	if err != nil {
		return kept, notFound(err, "listing not found", "update listing")
	}
	kept.CreatedAt = fromMicros(created)
	return kept, queueMatch(ctx, tx, l.ID)
}

// reindexListing replaces the full-text entry of listing id.
func reindexListing(ctx context.Context, tx dbtx, id int64, l *directory.Listing) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM listings_fts WHERE rowid = ?`, id); err != nil {
		return directory.Internal(err, "update listing index")
	}
	return indexListing(ctx, tx, id, l)
}

// indexListing writes the full-text entry of listing id, in its
// enterprise's language, and adds its words to the vocabulary.
func indexListing(ctx context.Context, tx dbtx, id int64, l *directory.Listing) error {
	var languages string
	err := tx.QueryRowContext(ctx, `SELECT e.languages FROM listings l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.id = ?`,
		id).Scan(&languages)
	if err != nil {
		return directory.Internal(err, "index listing")
	}
	langs, err := decodeList(languages)
	if err != nil {
		return directory.Internal(err, "index listing")
	}
	return writeListingIndex(ctx, tx, id, fulltext.EntryLanguage(langs), l)
}

// writeListingIndex writes the full-text entry of listing id in lang.
func writeListingIndex(ctx context.Context, tx dbtx, id int64, lang string, l *directory.Listing) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO listings_fts (rowid, title, body) VALUES (?, ?, ?)`,
		id, fulltext.Document(lang, l.Title), fulltext.Document(lang, l.Description, l.Unit, string(l.Category))+l.Translations.IndexedWords())
	if err != nil {
		return directory.Internal(err, "index listing")
	}
	return addWords(ctx, tx, fulltext.Words(append([]string{l.Title, l.Description, l.Unit, string(l.Category)}, l.Translations.Texts()...)...))
}

// DeleteListing removes listing id and records ev. ENOTFOUND.
func (db *DB) DeleteListing(ctx context.Context, id int64, ev directory.Event) error {
	return db.inWrite(ctx, "delete listing", func(tx *sql.Tx) error {
		var deleted int64
		err := tx.QueryRowContext(ctx, `DELETE FROM listings WHERE id = ? RETURNING id`, id).Scan(&deleted)
		if err != nil {
			return notFound(err, "listing not found", "delete listing")
		}
		ev.ListingID = id
		return insertEvent(ctx, tx, ev)
	})
}

// FindListing returns listing id with its enterprise's handle and name.
// ENOTFOUND.
func (db *DB) FindListing(ctx context.Context, id int64) (*directory.Listing, error) {
	l, err := scanListing(db.read.QueryRowContext(ctx,
		`SELECT `+listingColumns+` FROM `+listingFrom+` WHERE l.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "listing not found", "find listing")
	}
	return l, nil
}
