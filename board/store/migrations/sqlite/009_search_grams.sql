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
CREATE INDEX IF NOT EXISTS search_docs_body_kind ON search_docs(body_id, kind);
-- Texts already indexed are indexed again when the board next starts (Board.open): their
-- normalised form is computed in Python. The backlog row says there is work to do.
CREATE TABLE IF NOT EXISTS search_backlog (since_migration INTEGER NOT NULL);
INSERT INTO search_backlog (since_migration)
SELECT 9 WHERE EXISTS (SELECT 1 FROM search_docs)
AND NOT EXISTS (SELECT 1 FROM search_backlog);
