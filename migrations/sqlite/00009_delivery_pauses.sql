-- A host that keeps failing is paused (see directory.DeliveryHost): its
-- deliveries wait until paused_until, then one probe goes out, holding a
-- lease until probe_until; pauses counts the pauses of the run of
-- failures, each twice as long as the one before. last_failure ends a run
-- that stopped long before the next failure. NULL: not paused, no probe.

-- +goose Up
ALTER TABLE delivery_hosts ADD COLUMN last_failure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_hosts ADD COLUMN pauses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_hosts ADD COLUMN paused_until INTEGER;
ALTER TABLE delivery_hosts ADD COLUMN probe_until INTEGER;
UPDATE delivery_hosts SET last_failure = first_failure;

-- +goose Down
ALTER TABLE delivery_hosts DROP COLUMN probe_until;
ALTER TABLE delivery_hosts DROP COLUMN paused_until;
ALTER TABLE delivery_hosts DROP COLUMN pauses;
ALTER TABLE delivery_hosts DROP COLUMN last_failure;
