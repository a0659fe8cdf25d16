-- A host that keeps failing is paused (see directory.DeliveryHost): its
-- deliveries wait until paused_until, then one probe goes out, holding a
-- lease until probe_until; pauses counts the pauses of the run of
-- failures, each twice as long as the one before. last_failure ends a run
-- that stopped long before the next failure. NULL: not paused, no probe.

-- +goose Up
ALTER TABLE delivery_hosts
    ADD COLUMN last_failure timestamptz,
    ADD COLUMN pauses integer NOT NULL DEFAULT 0,
    ADD COLUMN paused_until timestamptz,
    ADD COLUMN probe_until timestamptz;
UPDATE delivery_hosts SET last_failure = first_failure;
ALTER TABLE delivery_hosts ALTER COLUMN last_failure SET NOT NULL;

-- +goose Down
ALTER TABLE delivery_hosts
    DROP COLUMN probe_until,
    DROP COLUMN paused_until,
    DROP COLUMN pauses,
    DROP COLUMN last_failure;
