-- Organisations (workspaces of regions, provider organisations, the competence centre), their members,
-- access requests, invitations, and the advisors' areas of responsibility.

CREATE TABLE organisations (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('region', 'provider', 'centre')),
  region_key text UNIQUE REFERENCES regions (key),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'region') = (region_key IS NOT NULL))
);
-- There is one competence centre per installation.
CREATE UNIQUE INDEX organisations_one_centre ON organisations (kind) WHERE kind = 'centre';

CREATE TABLE memberships (
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('member', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Advisors are members of the competence centre; a scope limits them to a Land (null: all Länder).
CREATE TABLE advisor_scopes (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  state_key text,
  topic text
);
CREATE UNIQUE INDEX advisor_scopes_unique ON advisor_scopes (user_id, coalesce(state_key, ''), coalesce(topic, ''));

CREATE TABLE access_requests (
  id bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  email_domain text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
  decided_by bigint,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX access_requests_one_open ON access_requests (org_id, user_id) WHERE status = 'open';
CREATE INDEX access_requests_open ON access_requests (status, org_id);

CREATE TABLE invitations (
  id bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('member', 'admin')),
  token_hash text NOT NULL UNIQUE,
  invited_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by bigint
);
CREATE INDEX invitations_org ON invitations (org_id);

ALTER TABLE sessions ADD CONSTRAINT sessions_acting_org FOREIGN KEY (acting_org_id) REFERENCES organisations (id) ON DELETE SET NULL;
