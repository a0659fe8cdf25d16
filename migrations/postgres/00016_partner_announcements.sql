-- Partners' announcements are stored as copies, like their enterprises and
-- listings: one per (origin, remote_id), found by the unique index below.
-- export_scope is what a partner may read of our directory (the
-- exporter's limit, directory.Scope), applied when we serve it our
-- directory collections and announce our changes to it.

-- +goose Up
CREATE UNIQUE INDEX announcements_remote_id_idx ON announcements (origin, remote_id) WHERE origin <> '' AND remote_id <> '';
ALTER TABLE partners ADD COLUMN export_scope jsonb NOT NULL DEFAULT '{}'; -- directory.Scope

-- +goose Down
ALTER TABLE partners DROP COLUMN export_scope;
DROP INDEX announcements_remote_id_idx;
