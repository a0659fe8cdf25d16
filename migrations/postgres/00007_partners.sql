-- Partner networks: one row a partnership (or a request for one), with the
-- state of each direction, the scope of what we import and how far the
-- import of the partner's directory (the backfill) has come, both as JSON
-- (directory.Scope, directory.Backfill, which pgx encodes and decodes).
-- A partner's entries are copies with origin = its host, matched to their originals by
-- (origin, remote_id): the unique indexes below find a copy and keep a
-- partner's entry from being stored twice. Local entries (origin '') are
-- not in them.

-- +goose Up
CREATE TABLE partners (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host               text COLLATE "C" NOT NULL UNIQUE,
    actor_id           text NOT NULL DEFAULT '',
    inbox              text NOT NULL DEFAULT '',
    name               text NOT NULL DEFAULT '',
    summary            text NOT NULL DEFAULT '',
    url                text NOT NULL DEFAULT '',
    enterprises        integer NOT NULL DEFAULT 0,
    listings           integer NOT NULL DEFAULT 0,
    outgoing           text NOT NULL DEFAULT '' CHECK (outgoing IN ('', 'pending', 'active', 'rejected')),
    outgoing_follow_id text NOT NULL DEFAULT '',
    incoming           text NOT NULL DEFAULT '' CHECK (incoming IN ('', 'pending', 'active', 'rejected')),
    incoming_follow_id text NOT NULL DEFAULT '',
    scope              jsonb NOT NULL DEFAULT '{}', -- directory.Scope
    backfill           jsonb NOT NULL DEFAULT '{}', -- directory.Backfill
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE UNIQUE INDEX enterprises_remote_id_idx ON enterprises (origin, remote_id) WHERE origin <> '' AND remote_id <> '';
CREATE UNIQUE INDEX listings_remote_id_idx ON listings (origin, remote_id) WHERE origin <> '' AND remote_id <> '';

-- +goose Down
DROP INDEX listings_remote_id_idx;
DROP INDEX enterprises_remote_id_idx;
DROP TABLE partners;
