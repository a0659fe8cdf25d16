-- The directory: enterprises, their sectors, listings (needs and offers),
-- announcements, accounts, API tokens and the domain events.
--
-- Times are unix microseconds in UTC (integer), so they round-trip exactly.
-- Empty optional text is stored as '' (never NULL); optional numbers
-- (coordinates, quantity) are NULL when unknown.
--
-- Full text: the indexed text is produced in Go (fulltext.Document: lowercase,
-- diacritics removed), so SQLite and PostgreSQL index the same tokens. The FTS5
-- tables are contentless (the folded text is not stored twice); the store writes
-- them in the same transaction as the row, and the triggers below remove their
-- entries whenever a row goes, including through ON DELETE CASCADE.
-- (contentless_delete needs SQLite 3.43 or later.)
--
-- Search: nothing runs ANALYZE, and the queries of directory/sqlite name the
-- indexes they read (INDEXED BY), so the plans do not depend on statistics;
-- renaming an index means changing those queries too.

-- +goose Up
CREATE TABLE enterprises (
    id           INTEGER PRIMARY KEY,
    origin       TEXT    NOT NULL DEFAULT '',
    handle       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    name_key     TEXT    NOT NULL, -- lowercase name: the name sort
    kind         TEXT    NOT NULL,
    summary      TEXT    NOT NULL DEFAULT '',
    summary_html TEXT    NOT NULL DEFAULT '',
    website      TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    lat          REAL,
    lon          REAL,
    radius_km    REAL,
    founded      INTEGER NOT NULL DEFAULT 0,
    governance   TEXT    NOT NULL DEFAULT '',
    membership   TEXT    NOT NULL DEFAULT '',
    languages    TEXT    NOT NULL DEFAULT '[]', -- JSON array, in order
    logo         TEXT    NOT NULL DEFAULT '',
    demo         INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    remote_id    TEXT    NOT NULL DEFAULT '',
    remote_url   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (origin, handle)
) STRICT;

-- Search indexes. Each carries the columns of the common filters (kind,
-- origin), so that filtering, counting and walking a sort order read the
-- index alone, never the wide rows. UNIQUE (origin, handle) serves the origin
-- filter and the export.
CREATE INDEX enterprises_handle ON enterprises (handle);
CREATE INDEX enterprises_kind ON enterprises (kind, origin);
CREATE INDEX enterprises_created_at ON enterprises (created_at, kind, origin);
CREATE INDEX enterprises_name_key ON enterprises (name_key, kind, origin);
CREATE INDEX enterprises_lat_lon ON enterprises (lat, lon, kind, origin, created_at) WHERE lat IS NOT NULL;

CREATE TABLE enterprise_sectors (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    sector        TEXT    NOT NULL,
    PRIMARY KEY (enterprise_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX enterprise_sectors_sector ON enterprise_sectors (sector, enterprise_id);

CREATE TABLE listings (
    id               INTEGER PRIMARY KEY,
    enterprise_id    INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    origin           TEXT    NOT NULL DEFAULT '',
    type             TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    title_key        TEXT    NOT NULL, -- lowercase title: the name sort
    description      TEXT    NOT NULL DEFAULT '',
    description_html TEXT    NOT NULL DEFAULT '',
    category         TEXT    NOT NULL,
    quantity         REAL,
    unit             TEXT    NOT NULL DEFAULT '',
    address          TEXT    NOT NULL DEFAULT '',
    lat              REAL,
    lon              REAL,
    radius_km        REAL,
    valid_until      TEXT, -- YYYY-MM-DD, inclusive; NULL when open-ended
    status           TEXT    NOT NULL,
    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    remote_id        TEXT    NOT NULL DEFAULT '',
    remote_url       TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

-- Search indexes, carrying the columns of the common filters (status,
-- valid_until, type, category, origin) like those of enterprises.
CREATE INDEX listings_enterprise ON listings (enterprise_id);
CREATE INDEX listings_status ON listings (status, valid_until, type, category, origin);
CREATE INDEX listings_created_at ON listings (created_at, status, valid_until, type, category, origin);
CREATE INDEX listings_title_key ON listings (title_key, status, valid_until, type, category, origin);
CREATE INDEX listings_lat_lon ON listings (lat, lon, status, valid_until, type, category, origin, created_at)
    WHERE lat IS NOT NULL;

-- How many listings there are of each stored status, type, category and
-- origin, kept by the triggers below: the total of a search filtered on these
-- alone is a sum over a few hundred rows instead of a count over the table.
CREATE TABLE listing_counts (
    status   TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    origin   TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (status, type, category, origin)
) STRICT, WITHOUT ROWID;

CREATE TABLE announcements (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    content       TEXT    NOT NULL,
    content_html  TEXT    NOT NULL DEFAULT '',
    origin        TEXT    NOT NULL DEFAULT '',
    remote_id     TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX announcements_enterprise ON announcements (enterprise_id, created_at);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE SET NULL,
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX users_enterprise ON users (enterprise_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    hash         BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    type              TEXT    NOT NULL,
    enterprise_handle TEXT    NOT NULL DEFAULT '',
    listing_id        INTEGER, -- NULL when the event is not about a listing
    announcement_id   INTEGER, -- NULL when the event is not about an announcement
    origin            TEXT    NOT NULL DEFAULT '',
    at                INTEGER NOT NULL
) STRICT;

-- name: handle and name (weight 10); tags: kind label and sectors (5);
-- body: summary and address (1).
CREATE VIRTUAL TABLE enterprises_fts USING fts5 (
    name, tags, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '3'
);

-- title (weight 10); body: description, unit and category (1).
CREATE VIRTUAL TABLE listings_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '3'
);

-- +goose StatementBegin
CREATE TRIGGER enterprises_fts_delete AFTER DELETE ON enterprises BEGIN
    DELETE FROM enterprises_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
    DELETE FROM listings_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_counts_insert AFTER INSERT ON listings BEGIN
    INSERT INTO listing_counts (status, type, category, origin, n)
    VALUES (new.status, new.type, new.category, new.origin, 1)
    ON CONFLICT (status, type, category, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_counts_delete AFTER DELETE ON listings BEGIN
    UPDATE listing_counts SET n = n - 1
    WHERE status = old.status AND type = old.type AND category = old.category AND origin = old.origin;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_counts_update AFTER UPDATE OF status, type, category, origin ON listings BEGIN
    UPDATE listing_counts SET n = n - 1
    WHERE status = old.status AND type = old.type AND category = old.category AND origin = old.origin;
    INSERT INTO listing_counts (status, type, category, origin, n)
    VALUES (new.status, new.type, new.category, new.origin, 1)
    ON CONFLICT (status, type, category, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER listing_counts_update;
DROP TRIGGER listing_counts_delete;
DROP TRIGGER listing_counts_insert;
DROP TRIGGER listings_fts_delete;
DROP TRIGGER enterprises_fts_delete;
DROP TABLE listings_fts;
DROP TABLE enterprises_fts;
DROP TABLE events;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE announcements;
DROP TABLE listing_counts;
DROP TABLE listings;
DROP TABLE enterprise_sectors;
DROP TABLE enterprises;
