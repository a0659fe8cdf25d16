-- Messages that visitors send an enterprise with the Respond form of its
-- page or of one of its needs and offers, without an account. Its editors
-- read them on the enterprise's Responses page.

-- +goose Up
CREATE TABLE contact_messages (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    listing_id    INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    name          TEXT    NOT NULL,
    reach         TEXT    NOT NULL, -- how to reach the sender: an email, a phone number
    message       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX contact_messages_enterprise ON contact_messages (enterprise_id, created_at DESC, id DESC);
CREATE INDEX contact_messages_listing ON contact_messages (listing_id);

-- +goose Down
DROP TABLE contact_messages;
