package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

const savedSearchColumns = `id, handle, name, summary, q, type, categories, origin, near_label,
	lat, lon, within_km, created_at, updated_at, deleted_at`

// CreateSavedSearch inserts s and sets s.ID. ECONFLICT when the handle is
// taken by a saved search or a local enterprise.
func (db *DB) CreateSavedSearch(ctx context.Context, s *directory.SavedSearch) error {
	return db.write(ctx, "saved search", func(tx pgx.Tx) error {
		var taken bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM enterprises WHERE origin = '' AND handle = $1)`,
			s.Handle).Scan(&taken)
		if err != nil {
			return err
		}
		if taken {
			return directory.Errorf(directory.ECONFLICT, "handle is taken by an enterprise")
		}
		lat, lon, km := savedSearchGeo(s)
		err = tx.QueryRow(ctx, `INSERT INTO saved_searches (handle, name, summary, q, type, categories,
			origin, near_label, lat, lon, within_km, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			s.Handle, s.Name, s.Summary, s.Text, string(s.Type), directory.CategoryList(s.Categories), s.Origin,
			s.NearLabel, lat, lon, km, ts(s.CreatedAt), ts(s.UpdatedAt)).Scan(&s.ID)
		if err != nil && directory.ErrorCode(translate(err, "saved search")) == directory.ECONFLICT {
			return directory.Errorf(directory.ECONFLICT, "handle is taken by a topic")
		}
		return err
	})
}

// UpdateSavedSearch overwrites the saved search s.ID but its handle and
// creation time. ENOTFOUND, a deleted one too.
func (db *DB) UpdateSavedSearch(ctx context.Context, s *directory.SavedSearch, ev directory.Event) error {
	lat, lon, km := savedSearchGeo(s)
	return db.write(ctx, "update saved search", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE saved_searches SET name = $1, summary = $2, q = $3,
		type = $4, categories = $5, origin = $6, near_label = $7, lat = $8, lon = $9, within_km = $10, updated_at = $11
		WHERE id = $12 AND deleted_at IS NULL`,
			s.Name, s.Summary, s.Text, string(s.Type), directory.CategoryList(s.Categories), s.Origin, s.NearLabel,
			lat, lon, km, ts(s.UpdatedAt), s.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return directory.Errorf(directory.ENOTFOUND, "no such topic")
		}
		return recordEvents(ctx, tx, ev)
	})
}

// DeleteSavedSearch marks the saved search deleted and records ev.
// ENOTFOUND.
func (db *DB) DeleteSavedSearch(ctx context.Context, handle string, ev directory.Event) error {
	return db.write(ctx, "delete saved search", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE saved_searches SET deleted_at = $1 WHERE handle = $2 AND deleted_at IS NULL`,
			ts(ev.At), handle)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return directory.Errorf(directory.ENOTFOUND, "no such topic")
		}
		return recordEvents(ctx, tx, ev)
	})
}

// FindSavedSearch returns the saved search with handle, deleted or not.
// ENOTFOUND.
func (db *DB) FindSavedSearch(ctx context.Context, handle string) (*directory.SavedSearch, error) {
	var s *directory.SavedSearch
	err := db.readOne(ctx, "topic", func(q querier) (err error) {
		s, err = scanSavedSearch(q.QueryRow(ctx, `SELECT `+savedSearchColumns+` FROM saved_searches WHERE handle = $1`, handle))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) || directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, directory.Errorf(directory.ENOTFOUND, "no such topic")
	}
	return s, err
}

// ListSavedSearches returns the saved searches not deleted, by handle.
func (db *DB) ListSavedSearches(ctx context.Context) ([]*directory.SavedSearch, error) {
	out := []*directory.SavedSearch{}
	err := db.readOne(ctx, "list saved searches", func(q querier) error {
		rows, err := q.Query(ctx, `SELECT `+savedSearchColumns+` FROM saved_searches WHERE deleted_at IS NULL ORDER BY handle`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSavedSearch(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func scanSavedSearch(row pgx.Row) (*directory.SavedSearch, error) {
	var (
		s               directory.SavedSearch
		typ, categories string
		lat, lon, km    *float64
		deleted         *time.Time
	)
	err := row.Scan(&s.ID, &s.Handle, &s.Name, &s.Summary, &s.Text, &typ, &categories, &s.Origin, &s.NearLabel,
		&lat, &lon, &km, &s.CreatedAt, &s.UpdatedAt, &deleted)
	if err != nil {
		return nil, err
	}
	s.Type, s.Categories = directory.ListingType(typ), directory.SplitCategoryList(categories)
	if lat != nil && lon != nil && km != nil {
		s.Geo = &directory.Geo{Near: directory.Point{Lat: *lat, Lon: *lon}, KM: *km}
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	if deleted != nil {
		t := deleted.UTC()
		s.DeletedAt = &t
	}
	return &s, nil
}

// savedSearchGeo is the distance filter of s as three nullable columns.
func savedSearchGeo(s *directory.SavedSearch) (lat, lon, km *float64) {
	if s.Geo == nil {
		return nil, nil, nil
	}
	return &s.Geo.Near.Lat, &s.Geo.Near.Lon, &s.Geo.KM
}
