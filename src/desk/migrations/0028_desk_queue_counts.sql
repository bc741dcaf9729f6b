-- The advisors' queue (issue 12), second round. With 50,000 inquiries (bench/desk.ts) 0027's index was not
-- enough: it began with the status, so a page over several statuses read and sorted the whole range, and the
-- counts filtered every row of it with the advisor's OR of scopes (10,000 open rows for a national advisor,
-- ≈ 5–15 ms under load). Now:
-- * the page walks one index in the queue's order (unanswered first, by due time) and stops after 50;
-- * the counts come from desk_queue_counts, the number of inquiries per status, Land, sector, team and
--   answered-or-not, kept exact by a trigger in the writing transaction (a few hundred rows instead of
--   thousands of inquiries). What the groups cannot tell is added from two small index ranges: inquiries
--   assigned to the advisor outside the advisor's scopes and teams, and the unanswered ones not yet due (the
--   overdue ones are the unanswered ones minus those). See inquiries.repository.ts `queue`.
DROP INDEX desk_inquiries_queue_cover;
DROP INDEX desk_inquiries_queue;
DROP INDEX desk_inquiries_assignee;
CREATE INDEX desk_inquiries_queue_order ON desk_inquiries ((first_answered_at IS NOT NULL), first_answer_due_at, id)
  INCLUDE (status, state_key, sector, team_id, assignee_user_id, first_answered_at);
-- Unanswered and open, by due time: the not-yet-due ones for the overdue count, the escalation job's overdue ones.
CREATE INDEX desk_inquiries_unanswered_due ON desk_inquiries (first_answer_due_at)
  INCLUDE (status, state_key, sector, team_id, assignee_user_id)
  WHERE first_answered_at IS NULL AND status <> 'closed';
CREATE INDEX desk_inquiries_assignee ON desk_inquiries (assignee_user_id, status)
  INCLUDE (state_key, sector, team_id, first_answered_at, first_answer_due_at);

CREATE TABLE desk_queue_counts (
  status text NOT NULL,
  state_key text NOT NULL,
  sector text NOT NULL,
  team_id bigint,
  answered boolean NOT NULL,
  n integer NOT NULL CHECK (n >= 0),
  CONSTRAINT desk_queue_counts_group UNIQUE NULLS NOT DISTINCT (status, state_key, sector, team_id, answered)
);
INSERT INTO desk_queue_counts (status, state_key, sector, team_id, answered, n)
SELECT status, state_key, sector, team_id, first_answered_at IS NOT NULL, count(*)
  FROM desk_inquiries GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION desk_queue_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.state_key = OLD.state_key AND NEW.sector = OLD.sector
     AND NEW.team_id IS NOT DISTINCT FROM OLD.team_id
     AND (NEW.first_answered_at IS NULL) = (OLD.first_answered_at IS NULL) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE desk_queue_counts SET n = n - 1
     WHERE status = OLD.status AND state_key = OLD.state_key AND sector = OLD.sector
       AND team_id IS NOT DISTINCT FROM OLD.team_id AND answered = (OLD.first_answered_at IS NOT NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO desk_queue_counts (status, state_key, sector, team_id, answered, n)
    VALUES (NEW.status, NEW.state_key, NEW.sector, NEW.team_id, NEW.first_answered_at IS NOT NULL, 1)
    ON CONFLICT ON CONSTRAINT desk_queue_counts_group DO UPDATE SET n = desk_queue_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER desk_inquiries_queue_count AFTER INSERT OR UPDATE OR DELETE ON desk_inquiries
  FOR EACH ROW EXECUTE FUNCTION desk_queue_count();
