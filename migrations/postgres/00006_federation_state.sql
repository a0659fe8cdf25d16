-- The federation state: who follows our actors (followers), whom our
-- actors follow (following) and what they post (feed_posts), replies to our
-- entries (responses), Flags received (reports), the ids of the activities
-- already applied (inbox_activities), what we know of remote actors and
-- hosts, the blocked domains, and the saved positions of background loops
-- (cursors). Remote ids are stored as the federation package normalised
-- them; the columns that lists are sorted by use the "C" collation, so both
-- engines sort them byte by byte. Events gain the actor they name
-- (actor.updated).

-- +goose Up
CREATE TABLE followers (
    actor        text COLLATE "C" NOT NULL, -- our actor
    follower_id  text COLLATE "C" NOT NULL,
    inbox        text COLLATE "C" NOT NULL,
    shared_inbox text COLLATE "C" NOT NULL DEFAULT '',
    follow_id    text NOT NULL DEFAULT '',
    peer         boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (actor, follower_id)
);
CREATE INDEX followers_inbox_idx ON followers (inbox);
CREATE INDEX followers_shared_inbox_idx ON followers (shared_inbox);

CREATE TABLE following (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor      text COLLATE "C" NOT NULL, -- our actor
    target_id  text COLLATE "C" NOT NULL,
    account    text NOT NULL DEFAULT '',
    name       text NOT NULL DEFAULT '',
    url        text NOT NULL DEFAULT '',
    inbox      text NOT NULL DEFAULT '',
    follow_id  text COLLATE "C" NOT NULL UNIQUE,
    state      text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (actor, target_id)
);
CREATE INDEX following_target_idx ON following (target_id);

CREATE TABLE feed_posts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id   text COLLATE "C" NOT NULL UNIQUE,
    source      text COLLATE "C" NOT NULL,
    author      text COLLATE "C" NOT NULL,
    type        text NOT NULL DEFAULT '',
    name        text NOT NULL DEFAULT '',
    content     text NOT NULL DEFAULT '',
    url         text NOT NULL DEFAULT '',
    in_reply_to text NOT NULL DEFAULT '',
    published   timestamptz NOT NULL,
    updated     timestamptz NOT NULL
);
CREATE INDEX feed_posts_source_idx ON feed_posts (source, published DESC);

CREATE TABLE responses (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id       text COLLATE "C" NOT NULL UNIQUE,
    enterprise_id   bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    listing_id      bigint, -- NULL when the reply is not to a listing
    announcement_id bigint, -- NULL when the reply is not to an announcement
    author          text COLLATE "C" NOT NULL,
    author_name     text NOT NULL DEFAULT '',
    author_url      text NOT NULL DEFAULT '',
    content         text NOT NULL DEFAULT '',
    url             text NOT NULL DEFAULT '',
    published       timestamptz NOT NULL,
    updated         timestamptz NOT NULL
);
CREATE INDEX responses_enterprise_idx ON responses (enterprise_id, published DESC);

CREATE TABLE reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id text COLLATE "C" NOT NULL UNIQUE,
    reporter    text NOT NULL,
    objects     text[] NOT NULL DEFAULT '{}',
    content     text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL,
    resolved    boolean NOT NULL DEFAULT false
);

CREATE TABLE inbox_activities (
    id          text COLLATE "C" PRIMARY KEY,
    received_at timestamptz NOT NULL
);
CREATE INDEX inbox_activities_received_idx ON inbox_activities (received_at);

CREATE TABLE remote_actors (
    id             text COLLATE "C" PRIMARY KEY,
    type           text NOT NULL DEFAULT '',
    username       text NOT NULL DEFAULT '',
    name           text NOT NULL DEFAULT '',
    url            text NOT NULL DEFAULT '',
    inbox          text NOT NULL DEFAULT '',
    shared_inbox   text NOT NULL DEFAULT '',
    key_id         text COLLATE "C" NOT NULL DEFAULT '',
    public_key_pem text NOT NULL DEFAULT '',
    peer           boolean NOT NULL DEFAULT false,
    fetched_at     timestamptz NOT NULL
);
CREATE INDEX remote_actors_key_id_idx ON remote_actors (key_id);

-- A host has a row only while its deliveries fail.
CREATE TABLE delivery_hosts (
    host          text COLLATE "C" PRIMARY KEY,
    failures      integer NOT NULL,
    first_failure timestamptz NOT NULL,
    unavailable   boolean NOT NULL DEFAULT false
);

CREATE TABLE domain_blocks (
    domain     text COLLATE "C" PRIMARY KEY,
    reason     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE cursors (
    name  text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
);

-- The expiry sweep reads the open local listings by end date.
CREATE INDEX listings_open_valid_until_idx ON listings (valid_until)
    WHERE status = 'open' AND origin = '' AND valid_until IS NOT NULL;

ALTER TABLE events ADD COLUMN actor text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE events DROP COLUMN actor;
DROP INDEX listings_open_valid_until_idx;
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
