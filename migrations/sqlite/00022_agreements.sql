-- Agreements (FEP-0837, directory/agreement.go): an enterprise's answer to
-- a need or an offer, pending until the listing's enterprise accepts or
-- rejects it. enterprise_id is the responding enterprise when it is here;
-- responder_* name it when it is on another server, proposer_id the actor
-- an offer about a partner's listing was sent to. offer_id is the Offer
-- activity's id. The responder's own listing (the offer that meets the
-- need, or the need the offer meets), when it named one, is
-- responder_listing_id here, or its id (a URL) when it is on another server.

-- +goose Up
CREATE TABLE agreements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id      INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    enterprise_id   INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
    responder_name  TEXT    NOT NULL DEFAULT '',
    responder_id    TEXT    NOT NULL DEFAULT '',
    responder_inbox TEXT    NOT NULL DEFAULT '',
    responder_url   TEXT    NOT NULL DEFAULT '',
    responder_listing_id INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    responder_listing    TEXT    NOT NULL DEFAULT '',
    proposer_id     TEXT    NOT NULL DEFAULT '',
    offer_id        TEXT    NOT NULL UNIQUE,
    uri             TEXT    NOT NULL DEFAULT '',
    quantity        REAL,
    unit            TEXT    NOT NULL DEFAULT '',
    message         TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
    reason          TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    decided_at      INTEGER
) STRICT;

CREATE INDEX agreements_listing ON agreements (listing_id);
CREATE INDEX agreements_enterprise ON agreements (enterprise_id);
CREATE INDEX agreements_responder_listing ON agreements (responder_listing_id);

-- +goose Down
DROP TABLE agreements;
