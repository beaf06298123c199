-- The roster as secretariats keep it in their spreadsheets: each person's reading (ふりがな,
-- kept in hiragana so the roster sorts in 五十音 order) and e-mail address.
ALTER TABLE people ADD COLUMN reading TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
