-- +goose Up
-- The language of the interface for visitors who chose none and whose
-- browser asks for none we speak: a BCP 47 code such as 'es'; '' = English.
ALTER TABLE settings ADD COLUMN default_language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE settings DROP COLUMN default_language;
