-- The roster as secretariats keep it in their spreadsheets: each person's reading (ふりがな,
-- kept in hiragana so the roster sorts in 五十音 order) and e-mail address.
ALTER TABLE people ADD COLUMN reading TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- Invitations (開催通知) by e-mail: one row per person and notice, with its delivery status.
-- The personal link a message carries is made as it is sent and is never stored here.
CREATE TABLE mail_deliveries (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    address         TEXT NOT NULL,
    notice          TEXT NOT NULL CHECK (notice IN ('invitation', 'update', 'cancellation')),
    sequence        INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX mail_deliveries_due ON mail_deliveries(status, next_attempt_at);
CREATE INDEX mail_deliveries_meeting ON mail_deliveries(meeting_id, person_id);
