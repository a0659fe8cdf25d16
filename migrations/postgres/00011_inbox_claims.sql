-- A claim of an incoming activity id holds a lease until lease_until while
-- the inbox applies it; NULL means applied. A claim whose lease ran out (its
-- process died) is taken over by the sender's retry. The ids recorded
-- before are all applied.

-- +goose Up
ALTER TABLE inbox_activities ADD COLUMN lease_until timestamptz;

-- +goose Down
ALTER TABLE inbox_activities DROP COLUMN lease_until;
