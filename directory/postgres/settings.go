package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// Settings returns the saved settings. ENOTFOUND when never saved.
func (db *DB) Settings(ctx context.Context) (*directory.Settings, error) {
	s := &directory.Settings{}
	err := db.read(ctx, "settings", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			SELECT network_name, network_description, about, about_html, tile_url, tile_attribution, murmurations_index, default_language, editors_save_searches, updated_at
			FROM settings WHERE id = 1`,
		).Scan(&s.NetworkName, &s.NetworkDescription, &s.About, &s.AboutHTML, &s.TileURL, &s.TileAttribution, &s.MurmurationsIndex, &s.DefaultLanguage, &s.EditorsSaveSearches, &s.UpdatedAt)
	})
	if err != nil {
		return nil, err
	}
	s.UpdatedAt = s.UpdatedAt.UTC()
	return s, nil
}

// SaveSettings overwrites the saved settings with s.
func (db *DB) SaveSettings(ctx context.Context, s *directory.Settings) error {
	err := db.write(ctx, "settings", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO settings (id, network_name, network_description, about, about_html, tile_url,
				tile_attribution, murmurations_index, default_language, editors_save_searches, updated_at)
			VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (id) DO UPDATE SET network_name = excluded.network_name,
				network_description = excluded.network_description, about = excluded.about,
				about_html = excluded.about_html, tile_url = excluded.tile_url,
				tile_attribution = excluded.tile_attribution, murmurations_index = excluded.murmurations_index,
				default_language = excluded.default_language,
				editors_save_searches = excluded.editors_save_searches, updated_at = excluded.updated_at`,
			s.NetworkName, s.NetworkDescription, s.About, s.AboutHTML, s.TileURL, s.TileAttribution, s.MurmurationsIndex, s.DefaultLanguage, s.EditorsSaveSearches, ts(s.UpdatedAt))
		return err
	})
	if err == nil {
		s.UpdatedAt = ts(s.UpdatedAt)
	}
	return err
}
