-- Stable keys of local listings and announcements, so that an export
-- imported twice (or into the instance it came from) updates the same rows
-- instead of adding copies. A key is random and unique per enterprise; an
-- import keeps the key of the file. Partners' copies keep ''.

-- +goose Up
ALTER TABLE listings ADD COLUMN import_key TEXT NOT NULL DEFAULT '';
ALTER TABLE announcements ADD COLUMN import_key TEXT NOT NULL DEFAULT '';
UPDATE listings SET import_key = lower(hex(randomblob(16))) WHERE origin = '';
UPDATE announcements SET import_key = lower(hex(randomblob(16))) WHERE origin = '';

-- A local row inserted without a key gets one (ALTER TABLE cannot add a
-- column whose default is random).
-- +goose StatementBegin
CREATE TRIGGER listings_import_key AFTER INSERT ON listings
WHEN new.import_key = '' AND new.origin = '' BEGIN
    UPDATE listings SET import_key = lower(hex(randomblob(16))) WHERE id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER announcements_import_key AFTER INSERT ON announcements
WHEN new.import_key = '' AND new.origin = '' BEGIN
    UPDATE announcements SET import_key = lower(hex(randomblob(16))) WHERE id = new.id;
END;
-- +goose StatementEnd

CREATE UNIQUE INDEX listings_import_key ON listings (enterprise_id, import_key) WHERE import_key <> '';
CREATE UNIQUE INDEX announcements_import_key ON announcements (enterprise_id, import_key) WHERE import_key <> '';

-- +goose Down
DROP INDEX announcements_import_key;
DROP INDEX listings_import_key;
DROP TRIGGER announcements_import_key;
DROP TRIGGER listings_import_key;
ALTER TABLE announcements DROP COLUMN import_key;
ALTER TABLE listings DROP COLUMN import_key;
