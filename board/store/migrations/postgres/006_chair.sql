-- Who chaired each meeting (the chair who started it) and the deputy (職務代理者) the
-- secretariat designated before it: only they approve or return its minutes.
ALTER TABLE meetings ADD COLUMN chair_id BIGINT REFERENCES people(id);
ALTER TABLE meetings ADD COLUMN deputy_id BIGINT REFERENCES people(id);

-- Meetings started before this migration: the chair who ran meeting.start, from the log.
UPDATE meetings SET chair_id = (
    SELECT actor_id FROM events
    WHERE events.meeting_id = meetings.id AND events.action = 'meeting.start'
    ORDER BY seq LIMIT 1
)
WHERE started_at IS NOT NULL;
