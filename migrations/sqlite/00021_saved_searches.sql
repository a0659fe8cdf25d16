-- +goose Up
-- Saved searches of listings, each a followable actor (a "topic"). A
-- deleted one keeps its row (deleted_at set), so its handle stays taken.
CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    handle      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    q           TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    categories  TEXT NOT NULL DEFAULT '', -- comma-separated
    origin      TEXT NOT NULL DEFAULT '',
    near_label  TEXT NOT NULL DEFAULT '',
    lat         REAL,
    lon         REAL,
    within_km   REAL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);

-- Whether editors, not only admins, may save searches as topics.
ALTER TABLE settings ADD COLUMN editors_save_searches INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE settings DROP COLUMN editors_save_searches;
DROP TABLE saved_searches;
