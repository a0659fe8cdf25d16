-- Language-aware search (issues 14 and 16): the text indexes hold each
-- word's Snowball stem in its entry's language beside the word, computed
-- in Go (directory/fulltext) so that both engines index the same tokens.
--
-- search_index records the version of that form (fulltext.IndexVersion)
-- the indexes were built with: 0, the form before stems. The store
-- rebuilds the indexes at start-up, in batches, when it differs.
--
-- search_vocabulary lists every word (folded, without stems) that the
-- enterprises and listings have been indexed with: the words a search
-- suggests ("Did you mean"). head is its first character and size its
-- length in characters, so that a misspelt word reads only the words of
-- about its length with its first letter. It only grows: a word whose
-- rows are gone stays, and a suggestion is checked against the index
-- before it is made.

-- +goose Up
CREATE TABLE search_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_index (id, version) VALUES (1, 0);

CREATE TABLE search_vocabulary (
    word TEXT    NOT NULL PRIMARY KEY,
    head TEXT    NOT NULL,
    size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX search_vocabulary_head_idx ON search_vocabulary (head, size, word);

-- +goose Down
DROP TABLE search_vocabulary;
DROP TABLE search_index;
