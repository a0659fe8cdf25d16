-- Stable keys of local listings and announcements, so that an export
-- imported twice (or into the instance it came from) updates the same rows
-- instead of adding copies. A key is random and unique per enterprise; an
-- import keeps the key of the file. The volatile default gives every
-- existing row its own key.

-- +goose Up
ALTER TABLE listings ADD COLUMN import_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE announcements ADD COLUMN import_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');

CREATE UNIQUE INDEX listings_import_key ON listings (enterprise_id, import_key) WHERE import_key <> '';
CREATE UNIQUE INDEX announcements_import_key ON announcements (enterprise_id, import_key) WHERE import_key <> '';

-- +goose Down
DROP INDEX announcements_import_key;
DROP INDEX listings_import_key;
ALTER TABLE announcements DROP COLUMN import_key;
ALTER TABLE listings DROP COLUMN import_key;
