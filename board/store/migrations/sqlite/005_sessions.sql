-- A signed-in device is a row here, not only a signed cookie: the cookie carries a random
-- session key (only its hash is stored), and each request finds its people through these
-- rows, the link each was opened with and the person's standing. Sign-out deletes a
-- device's rows; revoking a person's links or removing the person deletes theirs.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    key_hash   TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    -- The sign-in link the device opened (for a body created on a signed-in device: the
    -- link that device had opened). NULL only for the first-run setup link.
    link_id    INTEGER REFERENCES sign_in_links(id),
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL  -- unix seconds
);
CREATE UNIQUE INDEX sessions_key_person ON sessions(key_hash, person_id);
CREATE INDEX sessions_person ON sessions(person_id);
CREATE INDEX sessions_link ON sessions(link_id);
