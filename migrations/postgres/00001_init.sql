-- +goose Up

-- Sorting by name compares name_key/title_key byte by byte (COLLATE "C"), as
-- SQLite does, so that both engines sort alike whatever the server's locale.
--
-- Full text: the search_* columns hold text already folded by the Go package
-- directory/fulltext (lowercase, no diacritics, words separated by single
-- spaces), so that PostgreSQL and SQLite index the same tokens. The 'simple'
-- configuration only splits on the spaces; weights: A = names, B = tags,
-- C = body text.

-- Column order: the fixed-width NOT NULL columns first, then the tsvector,
-- then the columns searches filter on, then the rest. A scan reads a row's
-- columns in order up to the last one it needs, so a text search over many
-- rows (a word found in most of them) reads the tsvector without walking
-- every text column before it: about twice as fast at 500,000 listings.

CREATE TABLE enterprises (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    founded      integer NOT NULL DEFAULT 0,
    demo         boolean NOT NULL DEFAULT false,
    search       tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', search_name), 'A') ||
        setweight(to_tsvector('simple', search_tags), 'B') ||
        setweight(to_tsvector('simple', search_body), 'C')) STORED,
    origin       text COLLATE "C" NOT NULL DEFAULT '',
    kind         text NOT NULL,
    lat          double precision,
    lon          double precision,
    radius_km    double precision,
    handle       text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    name_key     text COLLATE "C" NOT NULL, -- lowercase name (Go's strings.ToLower): the name sort
    summary      text NOT NULL DEFAULT '',
    summary_html text NOT NULL DEFAULT '',
    website      text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    address      text NOT NULL DEFAULT '',
    governance   text NOT NULL DEFAULT '',
    membership   text NOT NULL DEFAULT '',
    languages    text[] NOT NULL DEFAULT '{}',
    logo         text NOT NULL DEFAULT '',
    remote_id    text NOT NULL DEFAULT '',
    remote_url   text NOT NULL DEFAULT '',
    search_name  text NOT NULL DEFAULT '', -- handle, name
    search_tags  text NOT NULL DEFAULT '', -- kind label, sectors
    search_body  text NOT NULL DEFAULT '', -- summary, address
    UNIQUE (origin, handle)
);

CREATE INDEX enterprises_search_idx ON enterprises USING gin (search);
CREATE INDEX enterprises_lat_lon_idx ON enterprises (lat, lon);
CREATE INDEX enterprises_handle_idx ON enterprises (handle); -- listings of a handle, any origin
CREATE INDEX enterprises_kind_idx ON enterprises (kind);
CREATE INDEX enterprises_origin_idx ON enterprises (origin);
CREATE INDEX enterprises_created_idx ON enterprises (created_at, id);
CREATE INDEX enterprises_name_key_idx ON enterprises (name_key, id);

CREATE TABLE enterprise_sectors (
    enterprise_id bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    sector        text NOT NULL,
    PRIMARY KEY (enterprise_id, position)
);

CREATE INDEX enterprise_sectors_sector_idx ON enterprise_sectors (sector, enterprise_id);

CREATE TABLE listings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id    bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    demo             boolean NOT NULL DEFAULT false,
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', search_name), 'A') ||
        setweight(to_tsvector('simple', search_body), 'C')) STORED,
    status           text NOT NULL DEFAULT 'open',
    type             text NOT NULL,
    category         text NOT NULL,
    origin           text NOT NULL DEFAULT '',
    valid_until      date,
    lat              double precision,
    lon              double precision,
    radius_km        double precision,
    quantity         double precision,
    title            text NOT NULL,
    title_key        text COLLATE "C" NOT NULL, -- lowercase title: the name sort
    description      text NOT NULL DEFAULT '',
    description_html text NOT NULL DEFAULT '',
    unit             text NOT NULL DEFAULT '',
    address          text NOT NULL DEFAULT '',
    remote_id        text NOT NULL DEFAULT '',
    remote_url       text NOT NULL DEFAULT '',
    search_name      text NOT NULL DEFAULT '', -- title
    search_body      text NOT NULL DEFAULT ''  -- description, unit, category
);

CREATE INDEX listings_search_idx ON listings USING gin (search);
CREATE INDEX listings_lat_lon_idx ON listings (lat, lon);
-- Filters and counts: status first (most searches want open listings), then
-- category and type; valid_until is in the index so that counting open (or
-- expired) listings is an index-only scan.
CREATE INDEX listings_status_category_type_idx ON listings (status, category, type, valid_until);
CREATE INDEX listings_enterprise_idx ON listings (enterprise_id);
CREATE INDEX listings_origin_idx ON listings (origin);
CREATE INDEX listings_created_idx ON listings (created_at, id);
CREATE INDEX listings_title_key_idx ON listings (title_key, id);

-- listing_counts counts listings by the columns that searches most often
-- filter on, so that the total of a search filtering on nothing else (the
-- first page of needs and offers, a category) is a sum over a few hundred
-- rows rather than a count over every listing. It is kept by the statement
-- triggers below, in the transaction of the change, so it is exact.
-- valid_until is 'infinity' for listings without an end date: the search
-- conditions (valid_until IS NULL OR valid_until >= today, valid_until <
-- today) then hold for it exactly as for the NULL it stands for.
CREATE TABLE listing_counts (
    status      text NOT NULL,
    category    text NOT NULL,
    type        text NOT NULL,
    origin      text NOT NULL,
    valid_until date NOT NULL,
    n           bigint NOT NULL,
    PRIMARY KEY (status, category, type, origin, valid_until)
);

-- +goose StatementBegin
CREATE FUNCTION listing_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One statement with its keys in order: every store transaction changes
    -- listings in a single statement, so concurrent ones lock counters in
    -- the same order and cannot deadlock on them.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO listing_counts AS c (status, category, type, origin, valid_until, n)
        SELECT status, category, type, origin, COALESCE(valid_until, 'infinity'), count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (status, category, type, origin, valid_until) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO listing_counts AS c (status, category, type, origin, valid_until, n)
        SELECT status, category, type, origin, COALESCE(valid_until, 'infinity'), -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (status, category, type, origin, valid_until) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO listing_counts AS c (status, category, type, origin, valid_until, n)
        SELECT status, category, type, origin, valid_until, sum(d)
        FROM (
            SELECT status, category, type, origin, COALESCE(valid_until, 'infinity') AS valid_until, -1 AS d FROM old_rows
            UNION ALL
            SELECT status, category, type, origin, COALESCE(valid_until, 'infinity'), 1 FROM new_rows
        ) changes
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (status, category, type, origin, valid_until) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER listing_counts_insert AFTER INSERT ON listings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();
CREATE TRIGGER listing_counts_update AFTER UPDATE ON listings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();
CREATE TRIGGER listing_counts_delete AFTER DELETE ON listings
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();

CREATE TABLE announcements (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    content       text NOT NULL,
    content_html  text NOT NULL DEFAULT '',
    origin        text NOT NULL DEFAULT '',
    remote_id     text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);

CREATE INDEX announcements_enterprise_idx ON announcements (enterprise_id, created_at, id);

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    role          text NOT NULL,
    enterprise_id bigint REFERENCES enterprises (id) ON DELETE SET NULL,
    password_hash text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);

CREATE INDEX users_enterprise_idx ON users (enterprise_id);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    hash         bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);

CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type              text NOT NULL,
    enterprise_handle text NOT NULL DEFAULT '',
    listing_id        bigint,
    announcement_id   bigint,
    origin            text NOT NULL DEFAULT '',
    at                timestamptz NOT NULL
);

-- +goose Down
DROP TABLE events;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE announcements;
DROP TABLE listings;
DROP TABLE listing_counts;
DROP FUNCTION listing_counts_apply();
DROP TABLE enterprise_sectors;
DROP TABLE enterprises;
