-- What a person sees of their own sessions (when each was last used, from
-- which address and browser), and the single-use links with which an admin
-- lets someone choose a new password. last_seen_at starts as created_at.

-- +goose Up
ALTER TABLE sessions
    ADD COLUMN last_seen_at timestamptz,
    ADD COLUMN client_ip text NOT NULL DEFAULT '',
    ADD COLUMN user_agent text NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;

-- At most one pending link per user: a new one replaces it.
CREATE TABLE password_resets (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    hash       bytea NOT NULL UNIQUE, -- SHA-256 of the secret
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX password_resets_created_by_idx ON password_resets (created_by);

-- +goose Down
DROP TABLE password_resets;
ALTER TABLE sessions
    DROP COLUMN user_agent,
    DROP COLUMN client_ip,
    DROP COLUMN last_seen_at;
