-- What each action changed (the parts of the meeting, the agenda items and the people it
-- names), beside what it wrote: any process, now or later, can tell what to re-render.
ALTER TABLE events ADD COLUMN changed TEXT NOT NULL DEFAULT '{}';
