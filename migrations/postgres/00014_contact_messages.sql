-- Messages that visitors send an enterprise with the Respond form of its
-- page or of one of its needs and offers, without an account. Its editors
-- read them on the enterprise's Responses page.

-- +goose Up
CREATE TABLE contact_messages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    listing_id    bigint REFERENCES listings (id) ON DELETE SET NULL,
    name          text NOT NULL,
    reach         text NOT NULL, -- how to reach the sender: an email, a phone number
    message       text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX contact_messages_enterprise_idx ON contact_messages (enterprise_id, created_at DESC, id DESC);
CREATE INDEX contact_messages_listing_idx ON contact_messages (listing_id);

-- +goose Down
DROP TABLE contact_messages;
