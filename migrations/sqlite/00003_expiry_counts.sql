-- How many open listings end on each day, by type, category and origin,
-- kept by triggers like listing_counts. The open listings that have expired
-- by a date are a sum over the days before it (a few thousand rows at
-- most) rather than a count over the listings: with listing_counts, this
-- gives the totals and facets of open and expired listings without
-- counting the table. Open listings without an end date are not here.

-- +goose Up
CREATE TABLE listing_expiry_counts (
    valid_until TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    origin      TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (valid_until, type, category, origin)
) STRICT, WITHOUT ROWID;

INSERT INTO listing_expiry_counts (valid_until, type, category, origin, n)
SELECT valid_until, type, category, origin, count(*) FROM listings
WHERE status = 'open' AND valid_until IS NOT NULL
GROUP BY valid_until, type, category, origin;

-- +goose StatementBegin
CREATE TRIGGER listing_expiry_counts_insert AFTER INSERT ON listings
WHEN new.status = 'open' AND new.valid_until IS NOT NULL BEGIN
    INSERT INTO listing_expiry_counts (valid_until, type, category, origin, n)
    VALUES (new.valid_until, new.type, new.category, new.origin, 1)
    ON CONFLICT (valid_until, type, category, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_expiry_counts_delete AFTER DELETE ON listings
WHEN old.status = 'open' AND old.valid_until IS NOT NULL BEGIN
    UPDATE listing_expiry_counts SET n = n - 1
    WHERE valid_until = old.valid_until AND type = old.type AND category = old.category AND origin = old.origin;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_expiry_counts_update_old AFTER UPDATE OF status, valid_until, type, category, origin ON listings
WHEN old.status = 'open' AND old.valid_until IS NOT NULL BEGIN
    UPDATE listing_expiry_counts SET n = n - 1
    WHERE valid_until = old.valid_until AND type = old.type AND category = old.category AND origin = old.origin;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_expiry_counts_update_new AFTER UPDATE OF status, valid_until, type, category, origin ON listings
WHEN new.status = 'open' AND new.valid_until IS NOT NULL BEGIN
    INSERT INTO listing_expiry_counts (valid_until, type, category, origin, n)
    VALUES (new.valid_until, new.type, new.category, new.origin, 1)
    ON CONFLICT (valid_until, type, category, origin) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER listing_expiry_counts_update_new;
DROP TRIGGER listing_expiry_counts_update_old;
DROP TRIGGER listing_expiry_counts_delete;
DROP TRIGGER listing_expiry_counts_insert;
DROP TABLE listing_expiry_counts;
