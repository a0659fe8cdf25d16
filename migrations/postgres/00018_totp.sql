-- Two-step sign-in (TOTP, RFC 6238) of the users who turned it on: the
-- secret sealed with the instance secret, the last time step whose code
-- was used (a code is good once) and the password hashes of the unused
-- single-use recovery codes, one a line.

-- +goose Up
CREATE TABLE user_two_step (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed     bytea  NOT NULL,
    last_step  bigint NOT NULL,
    recovery   text   NOT NULL,
    enabled_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE user_two_step;
