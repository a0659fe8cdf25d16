package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

const savedSearchColumns = `id, handle, name, summary, q, type, categories, origin, near_label,
	lat, lon, within_km, created_at, updated_at, deleted_at`

// CreateSavedSearch inserts s and sets s.ID. ECONFLICT when the handle is
// taken by a saved search or a local enterprise.
func (db *DB) CreateSavedSearch(ctx context.Context, s *directory.SavedSearch) error {
	return db.inWrite(ctx, "create saved search", func(tx *sql.Tx) error {
		var taken bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM enterprises WHERE origin = '' AND handle = ?)`,
			s.Handle).Scan(&taken)
		if err != nil {
			return directory.Internal(err, "create saved search")
		}
		if taken {
			return directory.Errorf(directory.ECONFLICT, "handle is taken by an enterprise")
		}
		lat, lon, km := savedSearchGeo(s)
		err = tx.QueryRowContext(ctx, `INSERT INTO saved_searches (handle, name, summary, q, type, categories,
			origin, near_label, lat, lon, within_km, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.Handle, s.Name, s.Summary, s.Text, string(s.Type), directory.CategoryList(s.Categories), s.Origin, s.NearLabel,
			lat, lon, km, micros(s.CreatedAt), micros(s.UpdatedAt)).Scan(&s.ID)
		if isUnique(err) {
			return directory.Errorf(directory.ECONFLICT, "handle is taken by a topic")
		}
		if err != nil {
			return directory.Internal(err, "create saved search")
		}
		return nil
	})
}

// UpdateSavedSearch overwrites the saved search s.ID but its handle and
// creation time. ENOTFOUND, a deleted one too.
func (db *DB) UpdateSavedSearch(ctx context.Context, s *directory.SavedSearch, ev directory.Event) error {
	lat, lon, km := savedSearchGeo(s)
	return db.inWrite(ctx, "update saved search", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE saved_searches SET name = ?, summary = ?, q = ?, type = ?,
		categories = ?, origin = ?, near_label = ?, lat = ?, lon = ?, within_km = ?, updated_at = ?
		WHERE id = ? AND deleted_at IS NULL`,
			s.Name, s.Summary, s.Text, string(s.Type), directory.CategoryList(s.Categories), s.Origin, s.NearLabel,
			lat, lon, km, micros(s.UpdatedAt), s.ID)
		if err != nil {
			return directory.Internal(err, "update saved search")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return directory.Errorf(directory.ENOTFOUND, "no such topic")
		}
		return insertEvent(ctx, tx, ev)
	})
}

// DeleteSavedSearch marks the saved search deleted and records ev.
// ENOTFOUND.
func (db *DB) DeleteSavedSearch(ctx context.Context, handle string, ev directory.Event) error {
	return db.inWrite(ctx, "delete saved search", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE saved_searches SET deleted_at = ? WHERE handle = ? AND deleted_at IS NULL`,
			micros(ev.At), handle)
		if err != nil {
			return directory.Internal(err, "delete saved search")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return directory.Errorf(directory.ENOTFOUND, "no such topic")
		}
		return insertEvent(ctx, tx, ev)
	})
}

// FindSavedSearch returns the saved search with handle, deleted or not.
// ENOTFOUND.
func (db *DB) FindSavedSearch(ctx context.Context, handle string) (*directory.SavedSearch, error) {
	s, err := scanSavedSearch(db.read.QueryRowContext(ctx,
		`SELECT `+savedSearchColumns+` FROM saved_searches WHERE handle = ?`, handle))
	if err != nil {
		return nil, notFound(err, "no such topic", "find saved search")
	}
	return s, nil
}

// ListSavedSearches returns the saved searches not deleted, by handle.
func (db *DB) ListSavedSearches(ctx context.Context) ([]*directory.SavedSearch, error) {
	out := []*directory.SavedSearch{}
	err := db.inRead(ctx, "list saved searches", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list saved searches", func(row scanner) error {
			s, err := scanSavedSearch(row)
			if err == nil {
				out = append(out, s)
			}
			return err
		}, `SELECT `+savedSearchColumns+` FROM saved_searches WHERE deleted_at IS NULL ORDER BY handle`)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func scanSavedSearch(row scanner) (*directory.SavedSearch, error) {
	var (
		s                directory.SavedSearch
		typ, categories  string
		lat, lon, km     sql.NullFloat64
		created, updated int64
		deleted          sql.NullInt64
	)
	err := row.Scan(&s.ID, &s.Handle, &s.Name, &s.Summary, &s.Text, &typ, &categories, &s.Origin, &s.NearLabel,
		&lat, &lon, &km, &created, &updated, &deleted)
	if err != nil {
		return nil, err
	}
	s.Type, s.Categories = directory.ListingType(typ), directory.SplitCategoryList(categories)
	if lat.Valid && lon.Valid && km.Valid {
		s.Geo = &directory.Geo{Near: directory.Point{Lat: lat.Float64, Lon: lon.Float64}, KM: km.Float64}
	}
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	if deleted.Valid {
		t := fromMicros(deleted.Int64)
		s.DeletedAt = &t
	}
	return &s, nil
}

// savedSearchGeo is the distance filter of s as three nullable columns.
func savedSearchGeo(s *directory.SavedSearch) (lat, lon, km sql.NullFloat64) {
	if s.Geo == nil {
		return
	}
	return sql.NullFloat64{Float64: s.Geo.Near.Lat, Valid: true}, sql.NullFloat64{Float64: s.Geo.Near.Lon, Valid: true},
		sql.NullFloat64{Float64: s.Geo.KM, Valid: true}
}
