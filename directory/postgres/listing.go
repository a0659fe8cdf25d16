package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// listingColumns is what scanListing reads, from listings l joined to their
// enterprises e.
const listingColumns = `l.id, l.enterprise_id, e.handle, e.name, l.type, l.title, l.description,
	l.description_html, l.category, l.quantity, l.unit, l.address, l.lat, l.lon, l.radius_km,
	COALESCE(to_char(l.valid_until, 'YYYY-MM-DD'), ''), l.status, l.demo, l.origin, l.remote_id,
	l.remote_url, l.created_at, l.updated_at, l.translations,
	coalesce(e.languages[1], '')`

const listingFrom = ` FROM listings l JOIN enterprises e ON e.id = l.enterprise_id`

// scanListing reads listingColumns, then extra.
func scanListing(row pgx.Row, extra ...any) (*directory.Listing, error) {
	l := &directory.Listing{}
	loc := &l.Location
	dest := []any{&l.ID, &l.EnterpriseID, &l.EnterpriseHandle, &l.EnterpriseName, (*string)(&l.Type), &l.Title, &l.Description,
		&l.DescriptionHTML, (*string)(&l.Category), &l.Quantity, &l.Unit, &loc.Address, &loc.Lat, &loc.Lon, &loc.RadiusKM,
		&l.ValidUntil, (*string)(&l.Status), &l.Demo, &l.Origin, &l.RemoteID,
		&l.RemoteURL, &l.CreatedAt, &l.UpdatedAt, &l.Translations, &l.Language}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return l, nil
}

// listingFields lists, in order, the columns that an update overwrites;
// listingValues gives their values.
const listingFields = `title, title_key, description, description_html, category, quantity, unit, address,
	lat, lon, radius_km, valid_until, status, demo, remote_id, remote_url, updated_at,
	search_name, search_body, search_vocab, translations`

// listingValues are the values of listingFields; the text is indexed in
// lang, the enterprise's language (see listingLanguages).
func listingValues(l *directory.Listing, lang string) []any {
	var validUntil *string
	if l.ValidUntil != "" {
		validUntil = &l.ValidUntil
	}
	loc := l.Location
	return []any{l.Title, strings.ToLower(l.Title), l.Description, l.DescriptionHTML, string(l.Category), l.Quantity, l.Unit, loc.Address,
		loc.Lat, loc.Lon, loc.RadiusKM, validUntil, string(l.Status), l.Demo, l.RemoteID, l.RemoteURL, ts(l.UpdatedAt),
		// Full text, folded and stemmed here so that both engines index the
		// same words.
		fulltext.Document(lang, l.Title),
		fulltext.Document(lang, l.Description, l.Unit, string(l.Category)) + l.Translations.IndexedWords(),
		strs(fulltext.Words(append([]string{l.Title, l.Description, l.Unit, string(l.Category)}, l.Translations.Texts()...)...)),
		l.Translations.Encode()}
}

// listingLanguages returns the stemming language of the listings of the
// enterprises with these ids, by enterprise id.
func listingLanguages(ctx context.Context, tx pgx.Tx, enterpriseIDs ...int64) (map[int64]string, error) {
	rows, err := tx.Query(ctx, `SELECT id, languages FROM enterprises WHERE id = ANY($1)`, enterpriseIDs)
	if err != nil {
		return nil, err
	}
	langs := make(map[int64]string, len(enterpriseIDs))
	var (
		id    int64
		codes []string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &codes}, func() error {
		langs[id] = fulltext.EntryLanguage(codes)
		return nil
	})
	return langs, err
}

// storedListingLanguage returns the stemming language of stored listing id.
func storedListingLanguage(ctx context.Context, tx pgx.Tx, id int64) (string, error) {
	var codes []string
	err := tx.QueryRow(ctx, `SELECT e.languages FROM listings l JOIN enterprises e ON e.id = l.enterprise_id
		WHERE l.id = $1`, id).Scan(&codes)
	return fulltext.EntryLanguage(codes), err
}

// listingLanguage is listingLanguages of one enterprise.
func listingLanguage(ctx context.Context, tx pgx.Tx, enterpriseID int64) (string, error) {
	langs, err := listingLanguages(ctx, tx, enterpriseID)
	return langs[enterpriseID], err
}

// insertListingColumns are the columns of an insert: $1 enterprise_id,
// $2 origin, $3 type, $4 created_at, $5… listingFields.
const insertListingColumns = `enterprise_id, origin, type, created_at, ` + listingFields

// insertListingSQL inserts a listing (insertListingColumns).
const insertListingSQL = `
	INSERT INTO listings (` + insertListingColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::date,
		$17, $18, $19, $20, $21, $22, $23, $24, $25)
	RETURNING id`

func insertListingArgs(l *directory.Listing, lang string) []any {
	return append([]any{l.EnterpriseID, l.Origin, string(l.Type), ts(l.CreatedAt)}, listingValues(l, lang)...)
}

// updateListingSQL overwrites listing $1 with $2… listingFields.
const updateListingSQL = `
	UPDATE listings SET (` + listingFields + `) = ROW($2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
		$12, $13::date, $14, $15, $16, $17, $18, $19, $20, $21, $22)
	WHERE id = $1
	RETURNING id`

func updateListingArgs(l *directory.Listing, lang string) []any {
	return append([]any{l.ID}, listingValues(l, lang)...)
}

// CreateListing inserts l, sets l.ID and records ev with it. ENOTFOUND when
// the enterprise does not exist.
func (db *DB) CreateListing(ctx context.Context, l *directory.Listing, ev directory.Event) error {
	var id int64
	err := db.write(ctx, "listing", func(tx pgx.Tx) error {
		lang, err := listingLanguage(ctx, tx, l.EnterpriseID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, insertListingSQL, insertListingArgs(l, lang)...).Scan(&id); err != nil {
			return err
		}
		if err := queueMatches(ctx, tx, id); err != nil {
			return err
		}
		ev.ListingID = id
		return recordEvents(ctx, tx, ev)
	})
	if err != nil {
		return err
	}
	l.ID = id
	l.CreatedAt, l.UpdatedAt = ts(l.CreatedAt), ts(l.UpdatedAt)
	return nil
}

// UpdateListing overwrites listing l.ID (but its enterprise, type, origin and
// creation time) and records ev. ENOTFOUND.
func (db *DB) UpdateListing(ctx context.Context, l *directory.Listing, ev directory.Event) error {
	err := db.write(ctx, "listing", func(tx pgx.Tx) error {
		lang, err := storedListingLanguage(ctx, tx, l.ID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, updateListingSQL, updateListingArgs(l, lang)...).Scan(new(int64)); err != nil {
			return err
		}
		if err := queueMatches(ctx, tx, l.ID); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
	if err == nil {
		l.UpdatedAt = ts(l.UpdatedAt)
	}
	return err
}

// DeleteListing removes listing id and records ev. ENOTFOUND.
func (db *DB) DeleteListing(ctx context.Context, id int64, ev directory.Event) error {
	return db.write(ctx, "listing", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `DELETE FROM listings WHERE id = $1 RETURNING id`, id).Scan(&id); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
}

// FindListing returns listing id with its enterprise's handle and name. ENOTFOUND.
func (db *DB) FindListing(ctx context.Context, id int64) (*directory.Listing, error) {
	var l *directory.Listing
	err := db.read(ctx, "listing", func(tx pgx.Tx) (err error) {
		l, err = scanListing(tx.QueryRow(ctx, `SELECT `+listingColumns+listingFrom+` WHERE l.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}
