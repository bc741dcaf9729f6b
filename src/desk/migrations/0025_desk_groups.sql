-- Cooperation groups of the advisory desk (issue 12, "interkommunale Zusammenarbeit"): municipal workspaces
-- form a group around a topic with a lead workspace; the group has discussion threads, documents and decisions.
-- Private to the member workspaces unless the group chooses to be listed (then title, description and member
-- municipalities are public).

CREATE TABLE desk_groups (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  -- Optional region the group works in (e.g. a Landkreis), a key of the register.
  region_key text CHECK (region_key IS NULL OR region_key ~ '^[0-9]{2,12}$'),
  lead_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  listed boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX desk_groups_lead ON desk_groups (lead_org_id);
CREATE INDEX desk_groups_listed ON desk_groups (listed) WHERE listed;

-- Member workspaces: 'member' (the lead is one too), 'invited' by the lead, 'requested' by the workspace itself.
CREATE TABLE desk_group_members (
  group_id bigint NOT NULL REFERENCES desk_groups (id) ON DELETE CASCADE,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('member', 'invited', 'requested')),
  -- Who invited the workspace or asked to join for it.
  requested_by bigint REFERENCES users (id) ON DELETE SET NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, org_id)
);
CREATE INDEX desk_group_members_org ON desk_group_members (org_id);

CREATE TABLE desk_group_threads (
  id bigserial PRIMARY KEY,
  group_id bigint NOT NULL REFERENCES desk_groups (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_post_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_group_threads_group ON desk_group_threads (group_id, last_post_at DESC);

-- Posts are Markdown (rendered without raw HTML).
CREATE TABLE desk_group_posts (
  id bigserial PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES desk_group_threads (id) ON DELETE CASCADE,
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  -- The workspace the author wrote for (shown instead of the person once the account is gone).
  org_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_group_posts_thread ON desk_group_posts (thread_id, id);
CREATE INDEX desk_group_posts_author ON desk_group_posts (author_user_id);

CREATE TABLE desk_group_documents (
  id bigserial PRIMARY KEY,
  group_id bigint NOT NULL REFERENCES desk_groups (id) ON DELETE CASCADE,
  filename text NOT NULL,
  media_type text NOT NULL,
  size integer NOT NULL CHECK (size > 0),
  sha256 text NOT NULL,
  bytes bytea NOT NULL,
  uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_group_documents_group ON desk_group_documents (group_id);
CREATE INDEX desk_group_documents_uploader ON desk_group_documents (uploaded_by);

CREATE TABLE desk_group_decisions (
  id bigserial PRIMARY KEY,
  group_id bigint NOT NULL REFERENCES desk_groups (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  decided_on date NOT NULL,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX desk_group_decisions_group ON desk_group_decisions (group_id, decided_on DESC);
