-- Search at scale: every term from an index. Texts are compared in a normalised form
-- (NFKC width folding and case folding, computed by board.search.normalize and kept in
-- search_docs.norm). search_grams holds, per text, each character and each bigram once
-- (rowids only, no positions: small and cheap to write), so a term of one or two
-- characters is a token and a longer one is all of its bigrams, then checked against norm.
-- It is contentless: board/store/search.py writes and deletes its rows in the same
-- transaction as search_docs. It replaces the trigram table over the
-- original text (which could not answer terms under three characters, nor full-width
-- input). Rows written before this migration are indexed again when the board starts
-- (search_backlog, below), or by `python -m board.store.search_reindex`.
DROP TRIGGER IF EXISTS search_docs_insert;
DROP TRIGGER IF EXISTS search_docs_delete;
DROP TRIGGER IF EXISTS search_docs_update;
DROP TABLE IF EXISTS search_fts;
ALTER TABLE search_docs ADD COLUMN norm TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN speaker_role TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN speaker_name TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE IF NOT EXISTS search_grams USING fts5(
    grams, content = '', tokenize = 'ascii', detail = 'none', columnsize = 0
);
-- A text's id is its meeting's day (the Gregorian ordinal, as Python's date.toordinal)
-- shifted 32 bits left plus a number within the day (board/store/search.py): the index's
-- rowid order is date order, so a page by date stops after its rows and a period is a
-- range of ids. Texts already indexed take such ids here.
UPDATE search_docs SET id = (CAST(julianday(
    (SELECT m.date FROM meetings m WHERE m.id = search_docs.meeting_id)) - 1721424.5 AS INTEGER)
    << 32) + id;
CREATE INDEX IF NOT EXISTS search_docs_body_kind ON search_docs(body_id, kind);
-- Texts already indexed are indexed again when the board next starts (Board.open): their
-- normalised form is computed in Python. The backlog row says there is work to do.
CREATE TABLE IF NOT EXISTS search_backlog (since_migration INTEGER NOT NULL);
INSERT INTO search_backlog (since_migration)
SELECT 9 WHERE EXISTS (SELECT 1 FROM search_docs)
AND NOT EXISTS (SELECT 1 FROM search_backlog);
