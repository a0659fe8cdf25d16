-- Listing and announcement ids are never used twice. Their ids name their
-- ActivityPub objects (/listings/{id}) and activities ({object}/create), which
-- other servers remember, also after a Delete: a new listing that took a
-- deleted one's id would be ignored as a duplicate, or look like the old one
-- revived. SQLite gives a new row max(id) + 1, which reuses the id of a deleted
-- newest row, so the highest id ever deleted is kept here and inserts start
-- above it. (PostgreSQL's identity columns never go back.)

-- +goose Up
CREATE TABLE id_floors (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER listings_id_floor AFTER DELETE ON listings BEGIN
    INSERT INTO id_floors (name, value) VALUES ('listings', OLD.id)
    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER announcements_id_floor AFTER DELETE ON announcements BEGIN
    INSERT INTO id_floors (name, value) VALUES ('announcements', OLD.id)
    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER announcements_id_floor;
DROP TRIGGER listings_id_floor;
DROP TABLE id_floors;
