-- The material page a presenter is showing to the room (画面同期): at most one per meeting.
-- No row: nothing is presented.
CREATE TABLE presentations (
    meeting_id   BIGINT PRIMARY KEY REFERENCES meetings(id),
    version_id   BIGINT NOT NULL REFERENCES material_versions(id),
    page         INTEGER NOT NULL,
    presenter_id BIGINT NOT NULL REFERENCES people(id),
    started_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
