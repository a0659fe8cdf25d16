package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// Settings returns the saved settings. ENOTFOUND when never saved.
func (db *DB) Settings(ctx context.Context) (*directory.Settings, error) {
	var (
		s       directory.Settings
		updated int64
	)
	err := db.read.QueryRowContext(ctx, `
		SELECT network_name, network_description, about, about_html, tile_url, tile_attribution, murmurations_index, default_language, editors_save_searches, updated_at
		FROM settings WHERE id = 1`,
	).Scan(&s.NetworkName, &s.NetworkDescription, &s.About, &s.AboutHTML, &s.TileURL, &s.TileAttribution, &s.MurmurationsIndex, &s.DefaultLanguage, &s.EditorsSaveSearches, &updated)
	if err != nil {
		return nil, notFound(err, "settings not saved yet", "read settings")
	}
	s.UpdatedAt = fromMicros(updated)
	return &s, nil
}

// SaveSettings overwrites the saved settings with s.
func (db *DB) SaveSettings(ctx context.Context, s *directory.Settings) error {
	return db.inWrite(ctx, "save settings", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO settings (id, network_name, network_description, about, about_html, tile_url,
				tile_attribution, murmurations_index, default_language, editors_save_searches, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET network_name = excluded.network_name,
				network_description = excluded.network_description, about = excluded.about,
				about_html = excluded.about_html, tile_url = excluded.tile_url,
				tile_attribution = excluded.tile_attribution, murmurations_index = excluded.murmurations_index,
				default_language = excluded.default_language,
				editors_save_searches = excluded.editors_save_searches, updated_at = excluded.updated_at`,
			s.NetworkName, s.NetworkDescription, s.About, s.AboutHTML, s.TileURL, s.TileAttribution, s.MurmurationsIndex, s.DefaultLanguage, s.EditorsSaveSearches,
			micros(s.UpdatedAt))
		if err != nil {
			return directory.Internal(err, "save settings")
		}
		return nil
	})
}
