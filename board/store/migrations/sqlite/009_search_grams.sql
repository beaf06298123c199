-- Search at scale: every term from an index. Texts are compared in a normalised form
-- (NFKC width folding and case folding, computed by board.search.normalize and kept in
-- search_docs.norm). search_grams holds, per text, each character once (uni) and the
-- bigrams in order (bi), so one character is a token, two are a token and longer terms
-- are a phrase of bigrams; it is contentless: board/store/search.py writes and deletes its
-- rows in the same transaction as search_docs. It replaces the trigram table over the
-- original text (which could not answer terms under three characters, nor full-width
-- input). Rows written before this migration are indexed again by
-- `python -m board.store.search_reindex`.
DROP TRIGGER IF EXISTS search_docs_insert;
DROP TRIGGER IF EXISTS search_docs_delete;
DROP TRIGGER IF EXISTS search_docs_update;
DROP TABLE IF EXISTS search_fts;
ALTER TABLE search_docs ADD COLUMN norm TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN speaker_role TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN speaker_name TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE IF NOT EXISTS search_grams USING fts5(
    uni, bi, content = '', tokenize = 'ascii'
);
CREATE INDEX IF NOT EXISTS search_docs_body_kind ON search_docs(body_id, kind);
