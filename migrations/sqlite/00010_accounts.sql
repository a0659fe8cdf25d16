-- What a person sees of their own sessions (when each was last used, from
-- which address and browser), and the single-use links with which an admin
-- lets someone choose a new password. last_seen_at starts as created_at.

-- +goose Up
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;

-- At most one pending link per user: a new one replaces it.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    hash       BLOB    NOT NULL UNIQUE, -- SHA-256 of the secret
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX password_resets_created_by ON password_resets (created_by);

-- +goose Down
DROP TABLE password_resets;
ALTER TABLE sessions DROP COLUMN user_agent;
ALTER TABLE sessions DROP COLUMN client_ip;
ALTER TABLE sessions DROP COLUMN last_seen_at;
