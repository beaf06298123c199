-- The minutes: drafted from the floor, edited by the secretariat, approved by the chair,
-- frozen as numbered revisions, published as a public copy, and searchable.

-- One row per meeting once anything was recorded for its minutes.
CREATE TABLE minutes (
    meeting_id         INTEGER PRIMARY KEY REFERENCES meetings(id),
    kind               TEXT NOT NULL DEFAULT 'summary'
                       CHECK (kind IN ('full', 'summary', 'excerpt')),
    status             TEXT NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'submitted', 'finalized')),
    title              TEXT,     -- NULL: the meeting's title and the kind
    opened             TEXT,     -- HH:MM; NULL: when the meeting started on the floor
    closed             TEXT,     -- HH:MM; NULL: when it was adjourned
    place              TEXT,     -- NULL: the meeting's place
    observers          INTEGER,  -- NULL: observers recorded as present
    materials          TEXT,     -- a JSON list of lines; NULL: the meeting's materials
    revision           INTEGER NOT NULL DEFAULT 0,  -- the latest finalized revision (0: none)
    published_revision INTEGER,                     -- the latest published revision
    pending_reason     TEXT NOT NULL DEFAULT '',    -- why the revision being drafted is made
    note               TEXT NOT NULL DEFAULT '',    -- the chair's note when returning a draft
    updated_at         TEXT NOT NULL
);

-- Statement entries: one per speech granted on the floor (request_id), plus those the
-- secretariat adds. Removed entries stay, with their reason.
CREATE TABLE minutes_statements (
    id                INTEGER PRIMARY KEY,
    meeting_id        INTEGER NOT NULL REFERENCES meetings(id),
    item_id           INTEGER NOT NULL REFERENCES agenda_items(id),
    request_id        INTEGER UNIQUE REFERENCES floor_requests(id),
    person_id         INTEGER REFERENCES people(id),
    speaker_name      TEXT NOT NULL DEFAULT '',
    speaker_role      TEXT NOT NULL
                      CHECK (speaker_role IN ('chair', 'secretariat', 'member', 'observer')),
    speaker_title     TEXT NOT NULL DEFAULT '',  -- '': the body's title for the role
    speaker_position  TEXT NOT NULL DEFAULT '',  -- the speaker's post, e.g. 総務部長
    position          INTEGER NOT NULL,
    started_at        TEXT,
    ended_at          TEXT,
    text              TEXT NOT NULL DEFAULT '',
    public            INTEGER NOT NULL DEFAULT 1,
    non_public_reason TEXT NOT NULL DEFAULT '',
    in_excerpt        INTEGER NOT NULL DEFAULT 1,
    removed_at        TEXT,
    removed_reason    TEXT NOT NULL DEFAULT '',
    merged_into       INTEGER REFERENCES minutes_statements(id),
    created_at        TEXT NOT NULL
);
CREATE INDEX minutes_statements_meeting ON minutes_statements(meeting_id, position);

CREATE TABLE minutes_decisions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL REFERENCES agenda_items(id),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX minutes_decisions_meeting ON minutes_decisions(meeting_id, item_id, position);

CREATE TABLE minutes_action_items (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL REFERENCES agenda_items(id),
    position   INTEGER NOT NULL,
    what       TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    due_date   TEXT,  -- ISO 8601 date
    created_at TEXT NOT NULL
);
CREATE INDEX minutes_action_items_meeting ON minutes_action_items(meeting_id, item_id, position);

-- The outline of the minutes: an agenda item at level 2 is a sub-item, numbered (1) (2)
-- under the level-1 item before it.
CREATE TABLE minutes_outline (
    item_id    INTEGER PRIMARY KEY REFERENCES agenda_items(id),
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    level      INTEGER NOT NULL CHECK (level IN (1, 2))
);

-- The secretariat's corrections to the attendance recorded in the live room.
CREATE TABLE minutes_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    present    INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
) WITHOUT ROWID;

-- Every finalized revision, frozen: the canonical JSON of the original and of the public
-- copy, each with its SHA-256. Only published_at may be set later.
CREATE TABLE minutes_revisions (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    number          INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    approved_by     INTEGER REFERENCES people(id),
    finalized_at    TEXT NOT NULL,
    document        TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    public_document TEXT NOT NULL,
    public_sha256   TEXT NOT NULL,
    published_at    TEXT,
    PRIMARY KEY (meeting_id, number)
) WITHOUT ROWID;

CREATE TRIGGER minutes_revisions_frozen
BEFORE UPDATE OF meeting_id, number, reason, approved_by, finalized_at, document, sha256,
    public_document, public_sha256 ON minutes_revisions
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_revisions_kept BEFORE DELETE ON minutes_revisions
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

-- The working copy cannot change while the minutes are finalized (a revision reopens it).
CREATE TRIGGER minutes_header_frozen
BEFORE UPDATE OF kind, title, opened, closed, place, observers, materials ON minutes
WHEN OLD.status = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_statements_frozen_insert BEFORE INSERT ON minutes_statements
WHEN (SELECT status FROM minutes WHERE meeting_id = NEW.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_statements_frozen_update BEFORE UPDATE ON minutes_statements
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_statements_frozen_delete BEFORE DELETE ON minutes_statements
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_decisions_frozen_insert BEFORE INSERT ON minutes_decisions
WHEN (SELECT status FROM minutes WHERE meeting_id = NEW.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_decisions_frozen_update BEFORE UPDATE ON minutes_decisions
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_decisions_frozen_delete BEFORE DELETE ON minutes_decisions
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_action_items_frozen_insert BEFORE INSERT ON minutes_action_items
WHEN (SELECT status FROM minutes WHERE meeting_id = NEW.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_action_items_frozen_update BEFORE UPDATE ON minutes_action_items
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_action_items_frozen_delete BEFORE DELETE ON minutes_action_items
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_outline_frozen_insert BEFORE INSERT ON minutes_outline
WHEN (SELECT status FROM minutes WHERE meeting_id = NEW.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_outline_frozen_update BEFORE UPDATE ON minutes_outline
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

CREATE TRIGGER minutes_attendance_frozen_insert BEFORE INSERT ON minutes_attendance
WHEN (SELECT status FROM minutes WHERE meeting_id = NEW.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;
CREATE TRIGGER minutes_attendance_frozen_update BEFORE UPDATE ON minutes_attendance
WHEN (SELECT status FROM minutes WHERE meeting_id = OLD.meeting_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'finalized minutes are frozen: make a new revision'); END;

-- Search: every searchable text with who may see it, and a trigram FTS5 index over it
-- (Japanese needs no dictionary with trigrams). revision 0 is the working copy (and
-- opinions), N the frozen text of finalized revision N. The triggers keep the index in
-- step with this table inside the same transaction.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL
               CHECK (kind IN ('statement', 'decision', 'action_item', 'opinion')),
    ref_id     INTEGER NOT NULL,
    revision   INTEGER NOT NULL DEFAULT 0,
    body_id    INTEGER NOT NULL REFERENCES bodies(id),
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER,
    restricted INTEGER NOT NULL DEFAULT 0,  -- an opinion members may not read
    label      TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL,
    content    TEXT NOT NULL,
    UNIQUE (kind, ref_id, revision)
);
CREATE INDEX search_docs_meeting ON search_docs(meeting_id, revision);

CREATE VIRTUAL TABLE search_fts USING fts5(
    content, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO search_fts (rowid, content) VALUES (new.id, new.content);
END;

-- Speeches granted before this migration become statement entries too.
INSERT INTO minutes_statements (meeting_id, item_id, request_id, person_id, speaker_name,
    speaker_role, speaker_position, position, started_at, ended_at, created_at)
SELECT r.meeting_id, r.item_id, r.id, r.person_id, p.name, p.role, p.affiliation,
       row_number() OVER (PARTITION BY r.meeting_id ORDER BY r.granted_at, r.id),
       r.granted_at, r.ended_at, r.granted_at
FROM floor_requests r JOIN people p ON p.id = r.person_id
WHERE r.granted_at IS NOT NULL;
