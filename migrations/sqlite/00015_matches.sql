-- Matching of needs and offers (directory/match.go). matches holds each
-- pair found, its score and reasons, whether each side's enterprise has
-- seen it, and its dismissal: a dismissed pair is kept so that it is never
-- found again. match_queue holds the listings waiting to be matched,
-- written in the transaction that writes the listing; version grows with
-- each write, so that a worker takes a listing off the queue only when it
-- matched the latest version. Every open listing is queued here once.

-- +goose Up
CREATE TABLE matches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    need_id      INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    offer_id     INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    score        REAL    NOT NULL,
    reasons      TEXT    NOT NULL DEFAULT '',
    need_seen    INTEGER NOT NULL DEFAULT 0 CHECK (need_seen IN (0, 1)),
    offer_seen   INTEGER NOT NULL DEFAULT 0 CHECK (offer_seen IN (0, 1)),
    dismissed_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (need_id, offer_id)
) STRICT;

CREATE INDEX matches_offer ON matches (offer_id);

CREATE TABLE match_queue (
    listing_id INTEGER PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL DEFAULT 1
) STRICT;

INSERT INTO match_queue (listing_id) SELECT id FROM listings WHERE status = 'open';

-- +goose Down
DROP TABLE match_queue;
DROP TABLE matches;
