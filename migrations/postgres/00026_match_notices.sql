-- Telling editors of new matches (directory.Service.NotifyMatches):
-- notified_at is when the editors of the pair's local enterprises were
-- told; NULL, not yet. The matches found before this migration count as
-- told, so that turning it on mails nobody about old pairs.

-- +goose Up
ALTER TABLE matches ADD COLUMN notified_at timestamptz;
UPDATE matches SET notified_at = created_at;
CREATE INDEX matches_unnotified_idx ON matches (id) WHERE notified_at IS NULL;

-- +goose Down
DROP INDEX matches_unnotified_idx;
ALTER TABLE matches DROP COLUMN notified_at;
