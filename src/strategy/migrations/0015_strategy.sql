-- module: strategy
-- Digital strategies of a municipality's workspace: one row per strategy (its current content, status and the
-- revision counter that detects conflicting edits), every revision kept (history, diff), and the links of
-- catalogue measures to practice projects and solutions (filled by the atlas and the market).

CREATE TABLE strategies (
  id bigserial PRIMARY KEY,
  -- Demo strategies (lotse seed demo) belong to no workspace.
  org_id bigint REFERENCES organisations (id) ON DELETE CASCADE,
  region_key text NOT NULL REFERENCES regions (key),
  -- The submitted check the draft was made from.
  check_id bigint REFERENCES checks (id) ON DELETE SET NULL,
  -- The adopted strategy this one is the next version of (changes after adoption start a new version).
  previous_id bigint REFERENCES strategies (id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'adopted', 'superseded')),
  revision integer NOT NULL DEFAULT 1,
  content jsonb NOT NULL,
  -- Adoption by the council: date, decision number, optional link to the council's record.
  submitted_on date,
  adopted_on date,
  decision_number text CHECK (length(decision_number) <= 100),
  council_url text CHECK (length(council_url) <= 1000),
  published boolean NOT NULL DEFAULT false,
  is_demo boolean NOT NULL DEFAULT false,
  -- Facts for the Lagebild, fixed when the strategy is made (the peer groups of its check).
  state_key text,
  size_class text,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (is_demo OR org_id IS NOT NULL),
  CHECK (status <> 'adopted' OR adopted_on IS NOT NULL),
  CHECK (NOT published OR status IN ('adopted', 'superseded'))
);
-- One strategy in work (draft or submitted to the council) per workspace.
CREATE UNIQUE INDEX strategies_one_open ON strategies (org_id) WHERE status IN ('draft', 'submitted');
CREATE INDEX strategies_region ON strategies (region_key, adopted_on DESC);
CREATE INDEX strategies_created_by ON strategies (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX strategies_check ON strategies (check_id) WHERE check_id IS NOT NULL;
CREATE INDEX strategies_previous ON strategies (previous_id) WHERE previous_id IS NOT NULL;

-- Every revision of a strategy's content: what changed (the parts, for conflict detection), by whom, when.
CREATE TABLE strategy_revisions (
  strategy_id bigint NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
  revision integer NOT NULL,
  content jsonb NOT NULL,
  -- The parts this revision changed, e.g. {"item:oparl-ratsinfo","goal:sg","settings"}; the first: {"*"}.
  changed text[] NOT NULL,
  -- A short language-independent description of the change: {"key": message key, "params": {...}}.
  summary jsonb NOT NULL,
  changed_by bigint REFERENCES users (id) ON DELETE SET NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (strategy_id, revision)
);
CREATE INDEX strategy_revisions_changed_by ON strategy_revisions (changed_by) WHERE changed_by IS NOT NULL;

-- An adopted strategy is frozen: its plan and adoption facts no longer change. What may change is its
-- implementation (per measure: status, progress note, actual dates — with a new revision), whether it is
-- published, and that a newer version supersedes it; erasing a person touches only created_by; deleting the
-- check it was made from (demo data) clears check_id.
CREATE FUNCTION strategy_plan(c jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT c || jsonb_build_object('items', coalesce((
    SELECT jsonb_agg(i - 'status' - 'note' - 'actualStart' - 'actualEnd' ORDER BY n)
    FROM jsonb_array_elements(c->'items') WITH ORDINALITY AS x(i, n)), '[]'::jsonb))
$$;
CREATE FUNCTION strategies_frozen_when_adopted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('adopted', 'superseded') AND (
       strategy_plan(NEW.content) IS DISTINCT FROM strategy_plan(OLD.content)
       OR NEW.adopted_on IS DISTINCT FROM OLD.adopted_on OR NEW.decision_number IS DISTINCT FROM OLD.decision_number
       OR NEW.council_url IS DISTINCT FROM OLD.council_url
       OR NEW.status NOT IN ('adopted', 'superseded')) THEN
    RAISE EXCEPTION 'strategy % is adopted and frozen', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER strategies_frozen BEFORE UPDATE ON strategies
  FOR EACH ROW EXECUTE FUNCTION strategies_frozen_when_adopted();

-- Links of catalogue measures to practice projects (atlas) and solutions (market), by id.
CREATE TABLE measure_links (
  measure_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('practice', 'solution')),
  ref_id text NOT NULL CHECK (length(ref_id) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (measure_id, kind, ref_id)
);
CREATE INDEX measure_links_ref ON measure_links (kind, ref_id);
