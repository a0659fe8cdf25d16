-- What the web interface needs: browser sessions, invitations, the instance
-- settings, stored images (logos), edits of announcements, and the counts
-- behind the directory page's filters.
--
-- Counts: like listing_counts, the *_counts tables are kept by statement
-- triggers in the transaction of each change, so that the facets and totals
-- of an unfiltered or simply filtered directory page sum a few hundred rows
-- instead of counting whole tables. enterprise_sectors carries a copy of its
-- enterprise's kind and origin (kept by the enterprise trigger) so that the
-- sector counts never need the enterprise row, which a cascading delete has
-- already removed.

-- +goose Up
ALTER TABLE announcements ADD COLUMN updated_at timestamptz; -- NULL until edited
ALTER TABLE announcements ADD COLUMN demo boolean NOT NULL DEFAULT false;

CREATE INDEX announcements_created_idx ON announcements (created_at, id);

CREATE TABLE announcement_counts (
    origin text NOT NULL PRIMARY KEY,
    n      bigint NOT NULL
);

INSERT INTO announcement_counts (origin, n)
SELECT origin, count(*) FROM announcements GROUP BY origin;

-- +goose StatementBegin
CREATE FUNCTION announcement_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO announcement_counts AS c (origin, n)
        SELECT origin, count(*) FROM new_rows GROUP BY 1 ORDER BY 1
        ON CONFLICT (origin) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO announcement_counts AS c (origin, n)
        SELECT origin, -count(*) FROM old_rows GROUP BY 1 ORDER BY 1
        ON CONFLICT (origin) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER announcement_counts_insert AFTER INSERT ON announcements
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION announcement_counts_apply();
CREATE TRIGGER announcement_counts_delete AFTER DELETE ON announcements
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION announcement_counts_apply();

ALTER TABLE enterprise_sectors ADD COLUMN kind text NOT NULL DEFAULT '';
ALTER TABLE enterprise_sectors ADD COLUMN origin text COLLATE "C" NOT NULL DEFAULT '';

UPDATE enterprise_sectors s SET kind = e.kind, origin = e.origin
FROM enterprises e WHERE e.id = s.enterprise_id;

CREATE TABLE enterprise_counts (
    kind   text NOT NULL,
    origin text COLLATE "C" NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (kind, origin)
);

INSERT INTO enterprise_counts (kind, origin, n)
SELECT kind, origin, count(*) FROM enterprises GROUP BY kind, origin;

-- How many enterprises of each kind and origin have each sector.
CREATE TABLE sector_counts (
    sector text COLLATE "C" NOT NULL,
    kind   text NOT NULL,
    origin text COLLATE "C" NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (sector, kind, origin)
);

INSERT INTO sector_counts (sector, kind, origin, n)
SELECT sector, kind, origin, count(*) FROM enterprise_sectors GROUP BY sector, kind, origin;

-- +goose StatementBegin
CREATE FUNCTION enterprise_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One statement with its keys in order, as listing_counts_apply does.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO enterprise_counts AS c (kind, origin, n)
        SELECT kind, origin, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (kind, origin) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO enterprise_counts AS c (kind, origin, n)
        SELECT kind, origin, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (kind, origin) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO enterprise_counts AS c (kind, origin, n)
        SELECT kind, origin, sum(d) FROM (
            SELECT kind, origin, -1 AS d FROM old_rows
            UNION ALL
            SELECT kind, origin, 1 FROM new_rows
        ) changes
        GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (kind, origin) DO UPDATE SET n = c.n + excluded.n;
        -- The sectors' copy of kind and origin follows the enterprise.
        UPDATE enterprise_sectors s SET kind = n.kind, origin = n.origin
        FROM new_rows n
        WHERE s.enterprise_id = n.id AND (s.kind <> n.kind OR s.origin <> n.origin);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER enterprise_counts_insert AFTER INSERT ON enterprises
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enterprise_counts_apply();
CREATE TRIGGER enterprise_counts_update AFTER UPDATE ON enterprises
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enterprise_counts_apply();
CREATE TRIGGER enterprise_counts_delete AFTER DELETE ON enterprises
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enterprise_counts_apply();

-- +goose StatementBegin
CREATE FUNCTION sector_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sector_counts AS c (sector, kind, origin, n)
        SELECT sector, kind, origin, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (sector, kind, origin) DO UPDATE SET n = c.n + excluded.n;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sector_counts AS c (sector, kind, origin, n)
        SELECT sector, kind, origin, -count(*) FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (sector, kind, origin) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO sector_counts AS c (sector, kind, origin, n)
        SELECT sector, kind, origin, sum(d) FROM (
            SELECT sector, kind, origin, -1 AS d FROM old_rows
            UNION ALL
            SELECT sector, kind, origin, 1 FROM new_rows
        ) changes
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (sector, kind, origin) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    -- Sectors are free tags: a count that drops to zero goes, so that the
    -- table holds only sectors in use.
    DELETE FROM sector_counts c USING old_rows o
    WHERE c.sector = o.sector AND c.kind = o.kind AND c.origin = o.origin AND c.n <= 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER sector_counts_insert AFTER INSERT ON enterprise_sectors
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sector_counts_apply();
CREATE TRIGGER sector_counts_update AFTER UPDATE ON enterprise_sectors
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sector_counts_apply();
CREATE TRIGGER sector_counts_delete AFTER DELETE ON enterprise_sectors
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sector_counts_apply();

CREATE TABLE sessions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       bytea NOT NULL UNIQUE, -- SHA-256 of the secret
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE invitations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL,
    enterprise_id bigint REFERENCES enterprises (id) ON DELETE CASCADE,
    hash          bytea NOT NULL UNIQUE, -- SHA-256 of the secret
    invited_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX invitations_enterprise_idx ON invitations (enterprise_id);
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);

-- One row, id 1, once an admin has saved the settings.
CREATE TABLE settings (
    id                  integer PRIMARY KEY CHECK (id = 1),
    network_name        text NOT NULL,
    network_description text NOT NULL DEFAULT '',
    about               text NOT NULL DEFAULT '',
    about_html          text NOT NULL DEFAULT '',
    tile_url            text NOT NULL DEFAULT '',
    tile_attribution    text NOT NULL DEFAULT '',
    updated_at          timestamptz NOT NULL
);

-- Stored images: an enterprise's logo belongs to it and goes with it.
CREATE TABLE images (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    enterprise_id bigint REFERENCES enterprises (id) ON DELETE CASCADE,
    content_type  text NOT NULL,
    data          bytea NOT NULL,
    width         integer NOT NULL,
    height        integer NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX images_enterprise_idx ON images (enterprise_id);

-- +goose Down
DROP TABLE images;
DROP TABLE settings;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TRIGGER sector_counts_delete ON enterprise_sectors;
DROP TRIGGER sector_counts_update ON enterprise_sectors;
DROP TRIGGER sector_counts_insert ON enterprise_sectors;
DROP FUNCTION sector_counts_apply();
DROP TRIGGER enterprise_counts_delete ON enterprises;
DROP TRIGGER enterprise_counts_update ON enterprises;
DROP TRIGGER enterprise_counts_insert ON enterprises;
DROP FUNCTION enterprise_counts_apply();
DROP TABLE sector_counts;
DROP TABLE enterprise_counts;
ALTER TABLE enterprise_sectors DROP COLUMN origin;
ALTER TABLE enterprise_sectors DROP COLUMN kind;
DROP TRIGGER announcement_counts_delete ON announcements;
DROP TRIGGER announcement_counts_insert ON announcements;
DROP FUNCTION announcement_counts_apply();
DROP TABLE announcement_counts;
DROP INDEX announcements_created_idx;
ALTER TABLE announcements DROP COLUMN demo;
ALTER TABLE announcements DROP COLUMN updated_at;
