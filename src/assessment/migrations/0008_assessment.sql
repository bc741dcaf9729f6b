-- The Digitalcheck: checks of a municipality's workspace, their answers (versioned for conflict detection),
-- and the precomputed national picture (Lagebild).

CREATE TABLE checks (
  id bigserial PRIMARY KEY,
  -- Demo checks (lotse seed demo) belong to no workspace.
  org_id bigint REFERENCES organisations (id) ON DELETE CASCADE,
  region_key text NOT NULL REFERENCES regions (key),
  model_version text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  published boolean NOT NULL DEFAULT false,
  -- Demo data (lotse seed demo) is marked and removed by that mark only.
  is_demo boolean NOT NULL DEFAULT false,
  started_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  -- Result, fixed at submission.
  overall double precision,
  level smallint,
  scores jsonb,
  -- Peer groups, fixed at submission: Land, size class, type.
  state_key text,
  size_class text,
  region_type text,
  -- The newest submitted check of its region (maintained on submission and demo seeding): the basis of peer
  -- comparison and the Lagebild.
  is_latest boolean NOT NULL DEFAULT false,
  CHECK (is_demo OR org_id IS NOT NULL)
);
CREATE UNIQUE INDEX checks_one_draft ON checks (org_id) WHERE status = 'draft';
CREATE INDEX checks_submitted ON checks (region_key, submitted_at DESC, id DESC) WHERE status = 'submitted';
CREATE INDEX checks_latest ON checks (size_class, state_key, region_type) WHERE is_latest;

CREATE TABLE check_answers (
  check_id bigint NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
  question_id text NOT NULL,
  level smallint CHECK (level BETWEEN 0 AND 4),
  not_applicable boolean NOT NULL DEFAULT false,
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
  evidence_url text NOT NULL DEFAULT '' CHECK (length(evidence_url) <= 1000),
  version integer NOT NULL DEFAULT 1,
  updated_by bigint,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (check_id, question_id),
  CHECK (NOT (not_applicable AND level IS NOT NULL))
);

-- The Lagebild, recomputed on every submission, publication and demo seed: one JSON document.
CREATE TABLE lagebild_snapshots (
  id bigserial PRIMARY KEY,
  computed_at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL
);
