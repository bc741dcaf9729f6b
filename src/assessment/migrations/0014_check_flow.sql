-- module: assessment
-- Taking the check together: per check and question whether it was put off ("später beantworten") and to
-- whom it was handed ("an Kollegin/Kollegen geben": a member, or an invited address until that person joins);
-- and who submitted a check.
CREATE TABLE check_question_states (
  check_id bigint NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
  question_id text NOT NULL,
  skipped boolean NOT NULL DEFAULT false,
  assigned_to bigint REFERENCES users (id) ON DELETE SET NULL,
  -- An invited colleague who has no account in the workspace yet (normalised address).
  assigned_email text CHECK (length(assigned_email) <= 320),
  assigned_by bigint REFERENCES users (id) ON DELETE SET NULL,
  assigned_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (check_id, question_id)
);
CREATE INDEX check_question_states_assigned_to ON check_question_states (assigned_to) WHERE assigned_to IS NOT NULL;
CREATE INDEX check_question_states_assigned_by ON check_question_states (assigned_by) WHERE assigned_by IS NOT NULL;

ALTER TABLE checks ADD COLUMN submitted_by bigint REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX checks_submitted_by ON checks (submitted_by) WHERE submitted_by IS NOT NULL;
