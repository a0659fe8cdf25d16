-- Matching of needs and offers (directory/match.go). matches holds each
-- pair found, its score and reasons, whether each side's enterprise has
-- seen it, and its dismissal: a dismissed pair is kept so that it is never
-- found again. match_queue holds the listings waiting to be matched,
-- written in the transaction that writes the listing; version grows with
-- each write, so that a worker takes a listing off the queue only when it
-- matched the latest version. Every open listing is queued here once.

-- +goose Up
CREATE TABLE matches (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    need_id      bigint NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    offer_id     bigint NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    score        double precision NOT NULL,
    reasons      text NOT NULL DEFAULT '',
    need_seen    boolean NOT NULL DEFAULT false,
    offer_seen   boolean NOT NULL DEFAULT false,
    dismissed_at timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (need_id, offer_id)
);

CREATE INDEX matches_offer_idx ON matches (offer_id);

CREATE TABLE match_queue (
    listing_id bigint PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
    version    bigint NOT NULL DEFAULT 1
);

INSERT INTO match_queue (listing_id) SELECT id FROM listings WHERE status = 'open';

-- +goose Down
DROP TABLE match_queue;
DROP TABLE matches;
