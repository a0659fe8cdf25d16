-- The federation state: who follows our actors (followers), whom our
-- actors follow (following) and what they post (feed_posts), replies to our
-- entries (responses), Flags received (reports), the ids of the activities
-- already applied (inbox_activities), what we know of remote actors and
-- hosts, the blocked domains, and the saved positions of background loops
-- (cursors). Remote ids are stored as the federation package normalised
-- them. Events gain the actor they name (actor.updated).

-- +goose Up
CREATE TABLE followers (
    actor        TEXT    NOT NULL, -- our actor
    follower_id  TEXT    NOT NULL,
    inbox        TEXT    NOT NULL,
    shared_inbox TEXT    NOT NULL DEFAULT '',
    follow_id    TEXT    NOT NULL DEFAULT '',
    peer         INTEGER NOT NULL DEFAULT 0 CHECK (peer IN (0, 1)),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (actor, follower_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX followers_inbox ON followers (inbox);
CREATE INDEX followers_shared_inbox ON followers (shared_inbox);

CREATE TABLE following (
    id         INTEGER PRIMARY KEY,
    actor      TEXT    NOT NULL, -- our actor
    target_id  TEXT    NOT NULL,
    account    TEXT    NOT NULL DEFAULT '',
    name       TEXT    NOT NULL DEFAULT '',
    url        TEXT    NOT NULL DEFAULT '',
    inbox      TEXT    NOT NULL DEFAULT '',
    follow_id  TEXT    NOT NULL UNIQUE,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (actor, target_id)
) STRICT;
CREATE INDEX following_target ON following (target_id);

CREATE TABLE feed_posts (
    id          INTEGER PRIMARY KEY,
    object_id   TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    type        TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL DEFAULT '',
    content     TEXT    NOT NULL DEFAULT '',
    url         TEXT    NOT NULL DEFAULT '',
    in_reply_to TEXT    NOT NULL DEFAULT '',
    published   INTEGER NOT NULL,
    updated     INTEGER NOT NULL
) STRICT;
CREATE INDEX feed_posts_source ON feed_posts (source, published DESC);

CREATE TABLE responses (
    id              INTEGER PRIMARY KEY,
    object_id       TEXT    NOT NULL UNIQUE,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    listing_id      INTEGER, -- NULL when the reply is not to a listing
    announcement_id INTEGER, -- NULL when the reply is not to an announcement
    author          TEXT    NOT NULL,
    author_name     TEXT    NOT NULL DEFAULT '',
    author_url      TEXT    NOT NULL DEFAULT '',
    content         TEXT    NOT NULL DEFAULT '',
    url             TEXT    NOT NULL DEFAULT '',
    published       INTEGER NOT NULL,
    updated         INTEGER NOT NULL
) STRICT;
CREATE INDEX responses_enterprise ON responses (enterprise_id, published DESC);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT    NOT NULL UNIQUE,
    reporter    TEXT    NOT NULL,
    objects     TEXT    NOT NULL DEFAULT '[]', -- JSON array of ids
    content     TEXT    NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    resolved    INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
) STRICT;

CREATE TABLE inbox_activities (
    id          TEXT    NOT NULL PRIMARY KEY,
    received_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX inbox_activities_received_at ON inbox_activities (received_at);

CREATE TABLE remote_actors (
    id             TEXT    NOT NULL PRIMARY KEY,
    type           TEXT    NOT NULL DEFAULT '',
    username       TEXT    NOT NULL DEFAULT '',
    name           TEXT    NOT NULL DEFAULT '',
    url            TEXT    NOT NULL DEFAULT '',
    inbox          TEXT    NOT NULL DEFAULT '',
    shared_inbox   TEXT    NOT NULL DEFAULT '',
    key_id         TEXT    NOT NULL DEFAULT '',
    public_key_pem TEXT    NOT NULL DEFAULT '',
    peer           INTEGER NOT NULL DEFAULT 0 CHECK (peer IN (0, 1)),
    fetched_at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX remote_actors_key_id ON remote_actors (key_id);

-- A host has a row only while its deliveries fail.
CREATE TABLE delivery_hosts (
    host          TEXT    NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_failure INTEGER NOT NULL,
    unavailable   INTEGER NOT NULL DEFAULT 0 CHECK (unavailable IN (0, 1))
) STRICT, WITHOUT ROWID;

CREATE TABLE domain_blocks (
    domain     TEXT    NOT NULL PRIMARY KEY,
    reason     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE cursors (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE events DROP COLUMN actor;
DROP TABLE cursors;
DROP TABLE domain_blocks;
DROP TABLE delivery_hosts;
DROP TABLE remote_actors;
DROP TABLE inbox_activities;
DROP TABLE reports;
DROP TABLE responses;
DROP TABLE feed_posts;
DROP TABLE following;
DROP TABLE followers;
