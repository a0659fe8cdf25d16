-- Language-aware search (issues 14 and 16): the text columns hold each
-- word's Snowball stem in its entry's language beside the word, computed
-- in Go (directory/fulltext) so that both engines index the same tokens.
--
-- search_index records the version of that form (fulltext.IndexVersion)
-- the indexes were built with: 0, the form before stems. The store
-- rebuilds the search columns at start-up, in batches, when it differs.
--
-- search_vocabulary lists every word (folded, without stems) that the
-- enterprises and listings have been indexed with: the words a search
-- suggests ("Did you mean"). head is its first character and size its
-- length in characters, so that a misspelt word reads only the words of
-- about its length with its first letter. The writes hand the words over
-- in search_vocab, which a trigger moves into the list and empties, so
-- the rows do not keep them. Like search_words (00008) the list only
-- grows and is not unique (writers never wait for each other on it): the
-- reads ignore repeats, and a suggestion is checked against the index.

-- +goose Up
CREATE TABLE search_index (
    id      integer PRIMARY KEY CHECK (id = 1),
    version integer NOT NULL
);
INSERT INTO search_index (id, version) VALUES (1, 0);

CREATE TABLE search_vocabulary (
    word text COLLATE "C" NOT NULL,
    head text COLLATE "C" NOT NULL,
    size integer NOT NULL
);
CREATE INDEX search_vocabulary_word_idx ON search_vocabulary (word);
CREATE INDEX search_vocabulary_head_idx ON search_vocabulary (head, size, word);

ALTER TABLE enterprises ADD COLUMN search_vocab text[];
ALTER TABLE listings ADD COLUMN search_vocab text[];

-- +goose StatementBegin
CREATE FUNCTION search_vocabulary_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vocab IS NOT NULL THEN
        INSERT INTO search_vocabulary (word, head, size)
        SELECT DISTINCT w, left(w, 1), char_length(w) FROM unnest(NEW.search_vocab) AS w
        WHERE w <> '' AND NOT EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.word = w);
        NEW.search_vocab := NULL;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER enterprises_search_vocabulary BEFORE INSERT OR UPDATE ON enterprises
    FOR EACH ROW EXECUTE FUNCTION search_vocabulary_add();
CREATE TRIGGER listings_search_vocabulary BEFORE INSERT OR UPDATE ON listings
    FOR EACH ROW EXECUTE FUNCTION search_vocabulary_add();

-- +goose Down
DROP TRIGGER listings_search_vocabulary ON listings;
DROP TRIGGER enterprises_search_vocabulary ON enterprises;
DROP FUNCTION search_vocabulary_add();
ALTER TABLE listings DROP COLUMN search_vocab;
ALTER TABLE enterprises DROP COLUMN search_vocab;
DROP TABLE search_vocabulary;
DROP TABLE search_index;
