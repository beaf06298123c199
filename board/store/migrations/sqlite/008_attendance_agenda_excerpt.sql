-- Attendance means presence in the meeting (issue 12): whether a person takes part in the
-- room or online, as they say (the secretariat can correct it in the minutes).
ALTER TABLE attendance ADD COLUMN online INTEGER NOT NULL DEFAULT 0;
-- The secretariat's correction of how a person took part; NULL keeps what the room recorded.
ALTER TABLE minutes_attendance ADD COLUMN online INTEGER;

-- Agenda sub-items from the start: an item under a main item ("3. 議事" with "(1)" "(2)").
ALTER TABLE agenda_items ADD COLUMN parent_id INTEGER REFERENCES agenda_items(id);

-- Items an excerpt (抄) omits whole (a JSON list of item ids; NULL: none) and the mark it
-- prints beside them (NULL: ※省略).
ALTER TABLE minutes ADD COLUMN omitted_items TEXT;
ALTER TABLE minutes ADD COLUMN omitted_mark TEXT;

-- Each body's own minutes style (様式): a built-in style and the body's overrides, as JSON
-- (board/minutes/style.py); NULL: the standard layout.
ALTER TABLE bodies ADD COLUMN minutes_style TEXT;
