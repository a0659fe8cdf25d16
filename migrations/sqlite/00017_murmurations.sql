-- +goose Up
-- The Murmurations index the instance registers its profiles with; '' = none.
ALTER TABLE settings ADD COLUMN murmurations_index TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE settings DROP COLUMN murmurations_index;
