-- module: market
-- Conformance checked by machine (issue 11): artefacts registered by a workspace (an endpoint URL or an uploaded
-- file, with the standard it claims) and every check of them. A check is never overwritten: the history is kept,
-- and badges come only from checks, never from claims.

CREATE TABLE conformance_artefacts (
  id bigserial PRIMARY KEY,
  -- Who registered it: the workspace (municipal or provider) and the person.
  org_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
  registered_by bigint REFERENCES users (id) ON DELETE SET NULL,
  -- The subject: a municipality's own endpoint (its region) or a solution of a provider workspace.
  subject_kind text NOT NULL CHECK (subject_kind IN ('region', 'solution')),
  region_key text REFERENCES regions (key),
  -- The solution market's table comes with its own migration (0018, solutions); the foreign key to
  -- solutions (id) is added when both are merged.
  solution_id bigint,
  standard text NOT NULL CHECK (standard IN ('publiccode', 'oparl', 'dcat-ap-de', 'gtfs')),
  -- The artefact: an endpoint URL, or an uploaded file kept in the database (never served publicly).
  url text CHECK (url ~ '^https?://' AND length(url) <= 2000),
  file_name text CHECK (length(file_name) BETWEEN 1 AND 200),
  file_media_type text CHECK (length(file_media_type) <= 200),
  file_size integer CHECK (file_size BETWEEN 1 AND 52428800),
  file_sha256 text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_bytes bytea,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  removed_at timestamptz,
  -- The schedule: when the next check is due; set while a check runs (a lease: a crashed run is taken over later).
  next_check_at timestamptz NOT NULL DEFAULT now(),
  running_since timestamptz,
  -- When the last check (of any trigger) started: on-demand checks are rate-limited by it.
  last_started_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((subject_kind = 'region') = (region_key IS NOT NULL)),
  CHECK ((subject_kind = 'solution') = (solution_id IS NOT NULL)),
  CHECK ((url IS NULL) <> (file_bytes IS NULL)),
  CHECK ((file_bytes IS NULL) = (file_sha256 IS NULL) AND (file_bytes IS NULL) = (file_name IS NULL)
    AND (file_bytes IS NULL) = (file_size IS NULL)),
  CHECK ((status = 'removed') = (removed_at IS NOT NULL))
);
CREATE INDEX conformance_artefacts_region ON conformance_artefacts (region_key) WHERE region_key IS NOT NULL;
CREATE INDEX conformance_artefacts_solution ON conformance_artefacts (solution_id) WHERE solution_id IS NOT NULL;
CREATE INDEX conformance_artefacts_due ON conformance_artefacts (next_check_at) WHERE status = 'active';
CREATE INDEX conformance_artefacts_org ON conformance_artefacts (org_id) WHERE org_id IS NOT NULL;
CREATE INDEX conformance_artefacts_registered_by ON conformance_artefacts (registered_by)
  WHERE registered_by IS NOT NULL;
-- One active registration per subject, standard and input.
CREATE UNIQUE INDEX conformance_artefacts_unique ON conformance_artefacts
  (subject_kind, coalesce(region_key, ''), coalesce(solution_id, 0), standard, coalesce(url, file_sha256))
  WHERE status = 'active';

-- Every check: what was checked (the URL, or sha256:<hex> of the file), with which validator, the verdict and
-- each finding. Rows are only ever inserted.
CREATE TABLE conformance_checks (
  id bigserial PRIMARY KEY,
  artefact_id bigint NOT NULL REFERENCES conformance_artefacts (id) ON DELETE CASCADE,
  checked_at timestamptz NOT NULL,
  standard text NOT NULL CHECK (standard IN ('publiccode', 'oparl', 'dcat-ap-de', 'gtfs')),
  standard_version text CHECK (length(standard_version) <= 100),
  validator_version text NOT NULL CHECK (length(validator_version) BETWEEN 1 AND 200),
  input text NOT NULL CHECK (length(input) <= 2000),
  verdict text NOT NULL CHECK (verdict IN ('conformant', 'not conformant', 'could not be checked')),
  reason text CHECK (length(reason) <= 2000),
  -- The findings as the validator reported them (at most the first 1000; findings_total counts all).
  findings jsonb NOT NULL DEFAULT '[]',
  findings_total integer NOT NULL DEFAULT 0 CHECK (findings_total >= 0),
  errors integer NOT NULL DEFAULT 0 CHECK (errors >= 0),
  warnings integer NOT NULL DEFAULT 0 CHECK (warnings >= 0),
  stats jsonb NOT NULL DEFAULT '{}',
  trigger text NOT NULL CHECK (trigger IN ('registered', 'schedule', 'demand')),
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  CHECK (verdict <> 'could not be checked' OR reason IS NOT NULL)
);
CREATE INDEX conformance_checks_artefact ON conformance_checks (artefact_id, checked_at DESC, id DESC);

-- The history is append-only: a check is never changed.
CREATE FUNCTION conformance_checks_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'conformance checks are never changed (history kept)' USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER conformance_checks_no_update BEFORE UPDATE ON conformance_checks
  FOR EACH ROW EXECUTE FUNCTION conformance_checks_frozen();
