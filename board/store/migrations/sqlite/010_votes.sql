-- Votes (採決). A body's standing rules, each vote with the rules it was taken by, who
-- may vote and whether they have, and the ballots: named ballots with their voter, secret
-- ones only as a counter per choice. Nothing links a secret ballot to its voter: the
-- voters are snapshotted when the vote opens and only a flag changes in place when they
-- vote (no timestamp, no row order); the counters change in place; a receipt that lets
-- the device that voted change its choice is kept only as a hash, without the voter.

CREATE TABLE IF NOT EXISTS vote_rules (
    body_id      INTEGER PRIMARY KEY REFERENCES bodies(id),
    quorum       TEXT NOT NULL DEFAULT 'majority' CHECK (quorum IN ('none', 'half', 'majority')),
    majority     TEXT NOT NULL DEFAULT 'cast' CHECK (majority IN ('cast', 'present', 'two_thirds')),
    abstentions  TEXT NOT NULL DEFAULT 'excluded' CHECK (abstentions IN ('excluded', 'counted')),
    chair_votes  INTEGER NOT NULL DEFAULT 0,
    casting_vote INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS votes (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    item_id        INTEGER REFERENCES agenda_items(id),
    question       TEXT NOT NULL,
    method         TEXT NOT NULL
                   CHECK (method IN ('no_objection', 'hands', 'standing', 'named', 'secret')),
    options        TEXT NOT NULL DEFAULT '[]',  -- an election's candidates (JSON); [] = a motion
    quorum         TEXT NOT NULL,
    majority       TEXT NOT NULL,
    abstentions    TEXT NOT NULL,
    chair_votes    INTEGER NOT NULL,
    casting_vote   INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'prepared'
                   CHECK (status IN ('prepared', 'open', 'closed', 'announced', 'cancelled')),
    members        INTEGER,  -- the body's members when it opened (the quorum's base)
    present        INTEGER,  -- of them present when it opened
    quorum_override INTEGER NOT NULL DEFAULT 0,  -- opened by the chair without a quorum
    counts         TEXT,     -- the tally at close (JSON: choice -> count)
    casting        TEXT,     -- the chair's casting vote on a tie
    outcome        TEXT,
    tie            INTEGER NOT NULL DEFAULT 0,
    cancel_reason  TEXT NOT NULL DEFAULT '',
    prepared_at    TEXT NOT NULL,
    opened_at      TEXT,
    closed_at      TEXT,
    announced_at   TEXT
);
CREATE INDEX IF NOT EXISTS votes_meeting ON votes(meeting_id, id);
-- One vote open per meeting at a time.
CREATE UNIQUE INDEX IF NOT EXISTS votes_one_open ON votes(meeting_id) WHERE status = 'open';

CREATE TABLE IF NOT EXISTS vote_voters (
    vote_id   INTEGER NOT NULL REFERENCES votes(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    voted     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, person_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS vote_ballots (
    vote_id   INTEGER NOT NULL REFERENCES votes(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    choice    TEXT NOT NULL,
    PRIMARY KEY (vote_id, person_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS vote_tallies (
    vote_id INTEGER NOT NULL REFERENCES votes(id),
    choice  TEXT NOT NULL,
    count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, choice)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS vote_receipts (
    vote_id      INTEGER NOT NULL REFERENCES votes(id),
    receipt_hash TEXT NOT NULL,
    PRIMARY KEY (vote_id, receipt_hash)
) WITHOUT ROWID;

-- A decision (決定事項) taken by a vote links to it.
ALTER TABLE minutes_decisions ADD COLUMN vote_id INTEGER REFERENCES votes(id);
