-- +goose Up
-- Entries' texts in other languages than their main one (issue 16): a JSON
-- object from a BCP 47 tag to {"title", "text", "text_html"}.
ALTER TABLE enterprises ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE listings ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE announcements ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE announcements DROP COLUMN translations;
ALTER TABLE listings DROP COLUMN translations;
ALTER TABLE enterprises DROP COLUMN translations;
