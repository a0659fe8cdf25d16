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
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id      bigint NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    enterprise_id   bigint REFERENCES enterprises (id) ON DELETE CASCADE,
    responder_name  text NOT NULL DEFAULT '',
    responder_id    text NOT NULL DEFAULT '',
    responder_inbox text NOT NULL DEFAULT '',
    responder_url   text NOT NULL DEFAULT '',
    responder_listing_id bigint REFERENCES listings (id) ON DELETE SET NULL,
    responder_listing    text NOT NULL DEFAULT '',
    proposer_id     text NOT NULL DEFAULT '',
    offer_id        text NOT NULL UNIQUE,
    uri             text NOT NULL DEFAULT '',
    quantity        double precision,
    unit            text NOT NULL DEFAULT '',
    message         text NOT NULL DEFAULT '',
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
    reason          text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz
);

CREATE INDEX agreements_listing_idx ON agreements (listing_id);
CREATE INDEX agreements_enterprise_idx ON agreements (enterprise_id);
CREATE INDEX agreements_responder_listing_idx ON agreements (responder_listing_id);

-- +goose Down
DROP TABLE agreements;
