-- Search at scale: every term from an index. Texts are compared in a normalised form
-- (NFKC width folding and case folding, computed by board.search.normalize and kept in
-- search_docs.norm): terms of one or two characters through a GIN index over the text's
-- characters and bigrams (grams), longer ones through a pg_trgm GIN index over norm. The
-- trigram index over the original text (compared case-insensitively by PostgreSQL's
-- rules, not the board's) goes. Rows written before this migration are indexed again by
-- `python -m board.store.search_reindex`.
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS norm TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS grams TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS speaker_role TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS speaker_name TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS search_docs_content;
CREATE INDEX IF NOT EXISTS search_docs_norm ON search_docs USING gin (norm gin_trgm_ops);
CREATE INDEX IF NOT EXISTS search_docs_grams ON search_docs USING gin (grams);
-- A text's id is its meeting's day (the Gregorian ordinal, as Python's date.toordinal)
-- shifted 32 bits left plus a number within the day (board/store/search.py): the same ids
-- and so the same date order as on SQLite. Texts already indexed take such ids here.
UPDATE search_docs d SET id = (CAST(CAST(left(m.date, 10) AS DATE) - DATE '0001-01-01' + 1
    AS BIGINT) << 32) + d.id
FROM meetings m WHERE m.id = d.meeting_id;
CREATE INDEX IF NOT EXISTS search_docs_body_kind ON search_docs(body_id, kind);
-- Texts already indexed are indexed again when the board next starts (Board.open): their
-- normalised form is computed in Python. The backlog row says there is work to do.
CREATE TABLE IF NOT EXISTS search_backlog (since_migration INTEGER NOT NULL);
INSERT INTO search_backlog (since_migration)
SELECT 9 WHERE EXISTS (SELECT 1 FROM search_docs)
AND NOT EXISTS (SELECT 1 FROM search_backlog);
