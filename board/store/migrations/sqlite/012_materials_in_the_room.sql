-- The material page a presenter is showing to the room (画面同期): at most one per meeting.
-- No row: nothing is presented.
CREATE TABLE presentations (
    meeting_id   INTEGER PRIMARY KEY REFERENCES meetings(id),
    version_id   INTEGER NOT NULL REFERENCES material_versions(id),
    page         INTEGER NOT NULL,
    presenter_id INTEGER NOT NULL REFERENCES people(id),
    started_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Private notes on material pages: each person's own, one per material and page. Read only
-- by their owner (board/store/notes.py); never logged, pushed, exported or indexed. Kept
-- across new versions by page number; version_id says which version the note was written on.
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    material_id INTEGER NOT NULL REFERENCES materials(id),
    version_id  INTEGER NOT NULL REFERENCES material_versions(id),
    page        INTEGER NOT NULL,
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (person_id, material_id, page)
);

-- An opinion can point at a page of a material (「資料1 p.12 について」).
ALTER TABLE opinions ADD COLUMN material_id INTEGER REFERENCES materials(id);
ALTER TABLE opinions ADD COLUMN page INTEGER;
