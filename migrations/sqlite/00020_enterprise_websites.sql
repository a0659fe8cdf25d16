-- +goose Up
-- The directory looks for entries of the same organisation by website
-- (EnterprisesByWebsite): an index answers it without a scan.
CREATE INDEX enterprises_website ON enterprises (website) WHERE website <> '';

-- +goose Down
DROP INDEX enterprises_website;
