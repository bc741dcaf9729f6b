-- Posts of a cooperation group can be corrected by their author (issue 12: a shared page with discussion
-- threads). The version detects conflicting edits (a stale form is a 409 with the typed text); edited_at is shown.
ALTER TABLE desk_group_posts ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE desk_group_posts ADD COLUMN edited_at timestamptz;
