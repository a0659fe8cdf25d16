-- What the web interface needs: browser sessions, invitations, the instance
-- settings, stored images (logos), edits of announcements, and the counts
-- behind the directory page's filters.
--
-- Counts: like listing_counts, the *_counts tables below are kept by
-- triggers in the transaction of each change, so that the facets and totals
-- of an unfiltered or simply filtered directory page sum a few hundred rows
-- instead of counting whole tables. enterprise_sectors carries a copy of its
-- enterprise's kind and origin (kept by a trigger) so that the sector counts
-- never need the enterprise row, which a cascading delete has already
-- removed.

-- +goose Up
ALTER TABLE announcements ADD COLUMN updated_at INTEGER; -- NULL until edited
ALTER TABLE announcements ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));

CREATE INDEX announcements_created_at ON announcements (created_at, id);

CREATE TABLE announcement_counts (
    origin TEXT    NOT NULL PRIMARY KEY,
    n      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO announcement_counts (origin, n)
SELECT origin, count(*) FROM announcements GROUP BY origin;

-- +goose StatementBegin
CREATE TRIGGER announcement_counts_insert AFTER INSERT ON announcements BEGIN
    INSERT INTO announcement_counts (origin, n) VALUES (new.origin, 1)
    ON CONFLICT (origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER announcement_counts_delete AFTER DELETE ON announcements BEGIN
    UPDATE announcement_counts SET n = n - 1 WHERE origin = old.origin;
END;
-- +goose StatementEnd

ALTER TABLE enterprise_sectors ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise_sectors ADD COLUMN origin TEXT NOT NULL DEFAULT '';

UPDATE enterprise_sectors
SET kind = (SELECT e.kind FROM enterprises e WHERE e.id = enterprise_sectors.enterprise_id),
    origin = (SELECT e.origin FROM enterprises e WHERE e.id = enterprise_sectors.enterprise_id);

CREATE TABLE enterprise_counts (
    kind   TEXT    NOT NULL,
    origin TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (kind, origin)
) STRICT, WITHOUT ROWID;

INSERT INTO enterprise_counts (kind, origin, n)
SELECT kind, origin, count(*) FROM enterprises GROUP BY kind, origin;

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_insert AFTER INSERT ON enterprises BEGIN
    INSERT INTO enterprise_counts (kind, origin, n) VALUES (new.kind, new.origin, 1)
    ON CONFLICT (kind, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_delete AFTER DELETE ON enterprises BEGIN
    UPDATE enterprise_counts SET n = n - 1 WHERE kind = old.kind AND origin = old.origin;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_update AFTER UPDATE OF kind, origin ON enterprises
WHEN old.kind IS NOT new.kind OR old.origin IS NOT new.origin BEGIN
    UPDATE enterprise_counts SET n = n - 1 WHERE kind = old.kind AND origin = old.origin;
    INSERT INTO enterprise_counts (kind, origin, n) VALUES (new.kind, new.origin, 1)
    ON CONFLICT (kind, origin) DO UPDATE SET n = n + 1;
    UPDATE enterprise_sectors SET kind = new.kind, origin = new.origin WHERE enterprise_id = new.id;
END;
-- +goose StatementEnd

-- How many enterprises of each kind and origin have each sector.
CREATE TABLE sector_counts (
    sector TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    origin TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (sector, kind, origin)
) STRICT, WITHOUT ROWID;

INSERT INTO sector_counts (sector, kind, origin, n)
SELECT sector, kind, origin, count(*) FROM enterprise_sectors GROUP BY sector, kind, origin;

-- +goose StatementBegin
CREATE TRIGGER sector_counts_insert AFTER INSERT ON enterprise_sectors BEGIN
    INSERT INTO sector_counts (sector, kind, origin, n) VALUES (new.sector, new.kind, new.origin, 1)
    ON CONFLICT (sector, kind, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- Sectors are free tags: a count that drops to zero goes, so that the
-- table holds only sectors in use.
-- +goose StatementBegin
CREATE TRIGGER sector_counts_delete AFTER DELETE ON enterprise_sectors BEGIN
    UPDATE sector_counts SET n = n - 1 WHERE sector = old.sector AND kind = old.kind AND origin = old.origin;
    DELETE FROM sector_counts WHERE sector = old.sector AND kind = old.kind AND origin = old.origin AND n <= 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sector_counts_update AFTER UPDATE OF sector, kind, origin ON enterprise_sectors BEGIN
    UPDATE sector_counts SET n = n - 1 WHERE sector = old.sector AND kind = old.kind AND origin = old.origin;
    DELETE FROM sector_counts WHERE sector = old.sector AND kind = old.kind AND origin = old.origin AND n <= 0;
    INSERT INTO sector_counts (sector, kind, origin, n) VALUES (new.sector, new.kind, new.origin, 1)
    ON CONFLICT (sector, kind, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       BLOB    NOT NULL UNIQUE, -- SHA-256 of the secret
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
    hash          BLOB    NOT NULL UNIQUE, -- SHA-256 of the secret
    invited_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX invitations_enterprise ON invitations (enterprise_id);
CREATE INDEX invitations_invited_by ON invitations (invited_by);

-- One row, id 1, once an admin has saved the settings.
CREATE TABLE settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    network_name        TEXT    NOT NULL,
    network_description TEXT    NOT NULL DEFAULT '',
    about               TEXT    NOT NULL DEFAULT '',
    about_html          TEXT    NOT NULL DEFAULT '',
    tile_url            TEXT    NOT NULL DEFAULT '',
    tile_attribution    TEXT    NOT NULL DEFAULT '',
    updated_at          INTEGER NOT NULL
) STRICT;

-- Stored images: an enterprise's logo belongs to it and goes with it.
CREATE TABLE images (
    id            TEXT    NOT NULL PRIMARY KEY,
    enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
    content_type  TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX images_enterprise ON images (enterprise_id);

-- +goose Down
DROP TABLE images;
DROP TABLE settings;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TRIGGER sector_counts_update;
DROP TRIGGER sector_counts_delete;
DROP TRIGGER sector_counts_insert;
DROP TABLE sector_counts;
ALTER TABLE enterprise_sectors DROP COLUMN origin;
ALTER TABLE enterprise_sectors DROP COLUMN kind;
DROP TRIGGER enterprise_counts_update;
DROP TRIGGER enterprise_counts_delete;
DROP TRIGGER enterprise_counts_insert;
DROP TABLE enterprise_counts;
DROP TRIGGER announcement_counts_delete;
DROP TRIGGER announcement_counts_insert;
DROP TABLE announcement_counts;
DROP INDEX announcements_created_at;
ALTER TABLE announcements DROP COLUMN demo;
ALTER TABLE announcements DROP COLUMN updated_at;
