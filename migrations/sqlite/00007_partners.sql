-- Partner networks: one row a partnership (or a request for one), with the
-- state of each direction, the scope of what we import and how far the
-- import of the partner's directory (the backfill) has come, both as JSON
-- text (directory.Scope, directory.Backfill). A partner's entries are
-- copies with origin = its host, matched to their originals by
-- (origin, remote_id): the unique indexes below find a copy and keep a
-- partner's entry from being stored twice. Local entries (origin '') are
-- not in them.

-- +goose Up
CREATE TABLE partners (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: admin pages name it
    host               TEXT    NOT NULL UNIQUE,
    actor_id           TEXT    NOT NULL DEFAULT '',
    inbox              TEXT    NOT NULL DEFAULT '',
    name               TEXT    NOT NULL DEFAULT '',
    summary            TEXT    NOT NULL DEFAULT '',
    url                TEXT    NOT NULL DEFAULT '',
    enterprises        INTEGER NOT NULL DEFAULT 0,
    listings           INTEGER NOT NULL DEFAULT 0,
    outgoing           TEXT    NOT NULL DEFAULT '' CHECK (outgoing IN ('', 'pending', 'active', 'rejected')),
    outgoing_follow_id TEXT    NOT NULL DEFAULT '',
    incoming           TEXT    NOT NULL DEFAULT '' CHECK (incoming IN ('', 'pending', 'active', 'rejected')),
    incoming_follow_id TEXT    NOT NULL DEFAULT '',
    scope              TEXT    NOT NULL DEFAULT '{}', -- JSON of directory.Scope
    backfill           TEXT    NOT NULL DEFAULT '{}', -- JSON of directory.Backfill
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX enterprises_remote_id ON enterprises (origin, remote_id) WHERE origin <> '' AND remote_id <> '';
CREATE UNIQUE INDEX listings_remote_id ON listings (origin, remote_id) WHERE origin <> '' AND remote_id <> '';

-- +goose Down
DROP INDEX listings_remote_id;
DROP INDEX enterprises_remote_id;
DROP TABLE partners;
