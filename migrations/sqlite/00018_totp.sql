-- Two-step sign-in (TOTP, RFC 6238) of the users who turned it on: the
-- secret sealed with the instance secret, the last time step whose code
-- was used (a code is good once) and the password hashes of the unused
-- single-use recovery codes, one a line.

-- +goose Up
CREATE TABLE user_two_step (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed     BLOB    NOT NULL,
    last_step  INTEGER NOT NULL,
    recovery   TEXT    NOT NULL,
    enabled_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE user_two_step;
