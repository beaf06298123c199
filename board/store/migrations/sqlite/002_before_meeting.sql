-- Before the meeting: uploaded files, materials per agenda item (with their versions),
-- who opened which version, the comment window, written opinions and agreement.

-- The bytes live on disk under the files directory, named by their SHA-256 (stored once
-- however often they are uploaded); a row says that a body uploaded those bytes, so a
-- material can only point at bytes its own body uploaded.
CREATE TABLE blobs (
    body_id     INTEGER NOT NULL REFERENCES bodies(id),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (body_id, sha256)
) WITHOUT ROWID;

CREATE TABLE materials (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL REFERENCES agenda_items(id),
    title      TEXT NOT NULL,
    removed    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX materials_meeting ON materials(meeting_id, item_id, id);

-- Every version is kept; the highest number is the current one.
CREATE TABLE material_versions (
    id          INTEGER PRIMARY KEY,
    material_id INTEGER NOT NULL REFERENCES materials(id),
    version     INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    filename    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES people(id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (material_id, version)
);

-- Read-ahead: the first time each person opened each version.
CREATE TABLE material_reads (
    version_id      INTEGER NOT NULL REFERENCES material_versions(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    first_opened_at TEXT NOT NULL,
    PRIMARY KEY (version_id, person_id)
) WITHOUT ROWID;

-- No row: comments are open without a deadline.
CREATE TABLE comment_windows (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id),
    deadline   TEXT,
    closed     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE opinions (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    item_id     INTEGER NOT NULL REFERENCES agenda_items(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    stance      TEXT NOT NULL CHECK (stance IN ('support', 'concern', 'question', 'proposal')),
    text        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    triage      TEXT CHECK (triage IN ('raise', 'answered', 'noted')),
    answer      TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES people(id),
    answered_at TEXT,
    -- The floor request made when the chair put the author in the queue for it.
    request_id  INTEGER REFERENCES floor_requests(id),
    queued_at   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX opinions_meeting ON opinions(meeting_id, item_id, status);
CREATE INDEX opinions_author ON opinions(item_id, person_id);

-- One row per person and opinion: agreeing twice counts once.
CREATE TABLE opinion_agrees (
    opinion_id INTEGER NOT NULL REFERENCES opinions(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    agreed_at  TEXT NOT NULL,
    PRIMARY KEY (opinion_id, person_id)
) WITHOUT ROWID;
CREATE INDEX opinion_agrees_person ON opinion_agrees(person_id, opinion_id);
