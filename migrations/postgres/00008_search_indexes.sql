-- Two aids to text searches: a text index of the open listings, and a list
-- of every word the search columns hold.
--
-- The directory, map and board pages search open listings only. Their
-- text index leaves out the fulfilled and withdrawn ones, which in time
-- are most listings; at the benchmark's scale (85% open) it already makes
-- a page's listing counts a third cheaper, as the rows it finds are the
-- rows the page wants. Searches of any status use listings_search_idx.
--
-- search_words lists every word (tsvector lexeme) of the enterprises' and
-- listings' search columns, so that a search can look a prefix term up as
-- the words that start with it. The text index finds a word by reading its
-- list of rows; it finds a prefix by first collecting the rows of every
-- word that starts with it into a bitmap and sorting that, which costs
-- about as much again: 'bakery':* reads the same 34,000 rows as 'bakery'
-- in twice the time. A prefix that starts few words becomes those words
-- ('bakery' | 'bakeryshop'), which the index reads directly; the rows
-- found are the same, as the list holds every word of every row.
--
-- The list only grows: a word whose last row is gone stays and finds
-- nothing. The triggers add the new words of a statement's rows in the
-- transaction of the change. Writers never wait for each other here: the
-- index is not unique, so two transactions adding the same new word at
-- once add it twice, which the lookups ignore.

-- +goose Up
CREATE INDEX listings_open_search_idx ON listings USING gin (search) WHERE status = 'open';

CREATE TABLE search_words (
    word text COLLATE "C" NOT NULL
);
CREATE INDEX search_words_word_idx ON search_words (word);

INSERT INTO search_words (word)
SELECT unnest(tsvector_to_array(search)) FROM enterprises
UNION
SELECT unnest(tsvector_to_array(search)) FROM listings;

-- +goose StatementBegin
CREATE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The words of the new rows; of an update, only those its old rows did
    -- not have (the others are listed already), so that a change of status
    -- adds nothing.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_words (word)
        SELECT n.word FROM (SELECT DISTINCT unnest(tsvector_to_array(search)) AS word FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = n.word);
    ELSE
        INSERT INTO search_words (word)
        SELECT n.word FROM (
            SELECT unnest(tsvector_to_array(search)) AS word FROM new_rows
            EXCEPT
            SELECT unnest(tsvector_to_array(search)) FROM old_rows
        ) n
        WHERE NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = n.word);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER enterprises_search_words_insert AFTER INSERT ON enterprises
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
CREATE TRIGGER enterprises_search_words_update AFTER UPDATE ON enterprises
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
CREATE TRIGGER listings_search_words_insert AFTER INSERT ON listings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();
CREATE TRIGGER listings_search_words_update AFTER UPDATE ON listings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();

-- +goose Down
DROP TRIGGER listings_search_words_update ON listings;
DROP TRIGGER listings_search_words_insert ON listings;
DROP TRIGGER enterprises_search_words_update ON enterprises;
DROP TRIGGER enterprises_search_words_insert ON enterprises;
DROP FUNCTION search_words_add();
DROP TABLE search_words;
DROP INDEX listings_open_search_idx;
