-- module: assessment
-- A submitted check is frozen: what its result depends on is stored with it at submission (the applicable
-- questions, the population and Kreis it had, the full result), and the database refuses changes to the
-- answers of a check that is no longer a draft.
ALTER TABLE checks ADD COLUMN question_ids text[];
ALTER TABLE checks ADD COLUMN population integer;
ALTER TABLE checks ADD COLUMN kreis_key text;
ALTER TABLE checks ADD COLUMN result jsonb;

-- Who started a check and who last changed an answer point to the account; erasing the account keeps the
-- workspace's data and loses the person (SET NULL). Links to accounts that no longer exist are cleared first.
UPDATE checks SET started_by = NULL WHERE started_by IS NOT NULL AND started_by NOT IN (SELECT id FROM users);
UPDATE check_answers SET updated_by = NULL WHERE updated_by IS NOT NULL AND updated_by NOT IN (SELECT id FROM users);
ALTER TABLE checks ADD CONSTRAINT checks_started_by FOREIGN KEY (started_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE check_answers ADD CONSTRAINT check_answers_updated_by FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX checks_started_by ON checks (started_by) WHERE started_by IS NOT NULL;
CREATE INDEX check_answers_updated_by ON check_answers (updated_by) WHERE updated_by IS NOT NULL;

CREATE FUNCTION check_answers_only_in_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  check_status text;
BEGIN
  -- Erasing a person (DSGVO) anonymises their answers: updated_by to NULL, their comment cleared, nothing else.
  IF TG_OP = 'UPDATE' AND NEW.updated_by IS NULL
     AND NEW.level IS NOT DISTINCT FROM OLD.level AND NEW.not_applicable = OLD.not_applicable
     AND NEW.evidence_url = OLD.evidence_url AND NEW.version = OLD.version
     AND (NEW.comment = OLD.comment OR NEW.comment = '') THEN
    RETURN NEW;
  END IF;
  -- FOR SHARE waits for a submission under way and then sees its outcome.
  SELECT status INTO check_status FROM checks WHERE id = NEW.check_id FOR SHARE;
  IF check_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'Digitalcheck % is submitted: its answers are frozen', NEW.check_id
      USING ERRCODE = 'check_violation', HINT = 'check-frozen';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER check_answers_draft_only BEFORE INSERT OR UPDATE ON check_answers
  FOR EACH ROW EXECUTE FUNCTION check_answers_only_in_drafts();

-- Released Lagebild snapshots keep the facts they were computed from, so the next release can be checked
-- against them (see ADR 0006).
ALTER TABLE lagebild_snapshots ADD COLUMN facts jsonb;
