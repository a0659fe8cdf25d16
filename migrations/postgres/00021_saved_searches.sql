-- +goose Up
-- Saved searches of listings, each a followable actor (a "topic"). A
-- deleted one keeps its row (deleted_at set), so its handle stays taken.
CREATE TABLE saved_searches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle      text COLLATE "C" NOT NULL UNIQUE,
    name        text NOT NULL,
    summary     text NOT NULL DEFAULT '',
    q           text NOT NULL DEFAULT '',
    type        text NOT NULL DEFAULT '',
    categories  text NOT NULL DEFAULT '', -- comma-separated
    origin      text NOT NULL DEFAULT '',
    near_label  text NOT NULL DEFAULT '',
    lat         double precision,
    lon         double precision,
    within_km   double precision,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);

-- Whether editors, not only admins, may save searches as topics.
ALTER TABLE settings ADD COLUMN editors_save_searches boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE settings DROP COLUMN editors_save_searches;
DROP TABLE saved_searches;
