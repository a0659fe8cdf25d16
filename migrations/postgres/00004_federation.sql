-- The signing keys of the instance's ActivityPub actors: one RSA key per
-- actor, named "enterprise:{handle}" for an enterprise and "network",
-- "instance", "needs" or "offers" for the instance's own actors. The
-- private key is stored sealed (AES-256-GCM under a key derived from the
-- instance secret, which lives in a file outside the database), so a copy
-- of the database alone cannot sign as anyone.
--
-- Keys of enterprises are not tied to the enterprise row: a key whose
-- enterprise was deleted stays until a new enterprise takes the handle, and
-- is then replaced (see federation.Keys).

-- +goose Up
CREATE TABLE actor_keys (
    actor          text        PRIMARY KEY,
    public_pem     text        NOT NULL,
    private_sealed bytea       NOT NULL,
    created_at     timestamptz NOT NULL
);

-- +goose Down
DROP TABLE actor_keys;
