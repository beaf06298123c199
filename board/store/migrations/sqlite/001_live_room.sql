-- The live room: bodies, people and their sign-in links, meetings, agenda, the floor,
-- attendance, and the event log every action appends to.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE bodies (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    chair_title       TEXT NOT NULL DEFAULT '議長',
    secretariat_title TEXT NOT NULL DEFAULT '事務局',
    member_title      TEXT NOT NULL DEFAULT '委員',
    observer_title    TEXT NOT NULL DEFAULT '傍聴者',
    show_names        INTEGER NOT NULL DEFAULT 1,
    seq               INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    body_id     INTEGER NOT NULL REFERENCES bodies(id),
    name        TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('chair', 'secretariat', 'member', 'observer')),
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);
CREATE INDEX people_body ON people(body_id);

CREATE TABLE sign_in_links (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sign_in_links_person ON sign_in_links(person_id);

CREATE TABLE body_events (
    body_id  INTEGER NOT NULL REFERENCES bodies(id),
    seq      INTEGER NOT NULL,
    at       TEXT NOT NULL,
    actor_id INTEGER REFERENCES people(id),
    action   TEXT NOT NULL,
    payload  TEXT NOT NULL,
    PRIMARY KEY (body_id, seq)
) WITHOUT ROWID;

CREATE TABLE meetings (
    id                   INTEGER PRIMARY KEY,
    body_id              INTEGER NOT NULL REFERENCES bodies(id),
    title                TEXT NOT NULL,
    date                 TEXT NOT NULL,
    start_time           TEXT NOT NULL,
    planned_end          TEXT NOT NULL,
    place                TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'published', 'live', 'adjourned')),
    current_item_id      INTEGER,
    speech_limit_seconds INTEGER NOT NULL DEFAULT 180,
    seq                  INTEGER NOT NULL DEFAULT 0,
    started_at           TEXT,
    adjourned_at         TEXT,
    created_at           TEXT NOT NULL
);
CREATE INDEX meetings_body ON meetings(body_id, date);

CREATE TABLE agenda_items (
    id                   INTEGER PRIMARY KEY,
    meeting_id           INTEGER NOT NULL REFERENCES meetings(id),
    position             INTEGER NOT NULL,
    title                TEXT NOT NULL,
    presenter            TEXT NOT NULL DEFAULT '',
    planned_minutes      INTEGER NOT NULL DEFAULT 10,
    kind                 TEXT NOT NULL DEFAULT 'discussion'
                         CHECK (kind IN ('greeting', 'report', 'discussion', 'decision')),
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'current', 'done')),
    list_closed          INTEGER NOT NULL DEFAULT 0,
    speech_limit_seconds INTEGER,
    deleted              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE floor_requests (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
    item_id          INTEGER NOT NULL REFERENCES agenda_items(id),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('ordinary', 'question', 'reply', 'point_of_order')),
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'speaking', 'done', 'withdrawn', 'removed')),
    position         INTEGER NOT NULL,
    requested_at     TEXT NOT NULL,
    granted_at       TEXT,
    ended_at         TEXT,
    limit_seconds    INTEGER,
    extended_seconds INTEGER NOT NULL DEFAULT 0
);
-- One open request per person and item (a double tap gives one request) ...
CREATE UNIQUE INDEX floor_requests_one_open
    ON floor_requests(item_id, person_id) WHERE status IN ('queued', 'speaking');
-- ... and one speaker per meeting (two chairs pressing "next" give one speaker).
CREATE UNIQUE INDEX floor_requests_one_speaker
    ON floor_requests(meeting_id) WHERE status = 'speaking';
CREATE INDEX floor_requests_item ON floor_requests(item_id, status, position);

CREATE TABLE attendance (
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
) WITHOUT ROWID;

CREATE TABLE events (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor_id   INTEGER REFERENCES people(id),
    action     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
) WITHOUT ROWID;
