-- The advisory desk's inquiries (issue 12): teams of advisors, routing rules, inquiries with their conversation,
-- internal notes, attachments and state history, and canned answers.

-- A team of advisors (e.g. "Bayern", "Mobilität"); exactly one may be the national fallback team.
CREATE TABLE desk_teams (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
  is_national boolean NOT NULL DEFAULT false,
  lead_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  -- Round robin: the member who got the last inquiry (the next one goes to the member after them).
  last_assigned_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX desk_teams_one_national ON desk_teams (is_national) WHERE is_national;

CREATE TABLE desk_team_members (
  team_id bigint NOT NULL REFERENCES desk_teams (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Absent members (holiday, illness) get no new inquiries.
  available boolean NOT NULL DEFAULT true,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX desk_team_members_user ON desk_team_members (user_id);

-- Routing: the most specific matching rule wins (Land and sector, then Land, then sector, then neither); with no
-- rule the national team gets the inquiry. Edited by platform admins.
CREATE TABLE desk_routing_rules (
  id bigserial PRIMARY KEY,
  state_key text CHECK (state_key IS NULL OR state_key ~ '^[0-9]{2}$'),
  sector text,
  team_id bigint NOT NULL REFERENCES desk_teams (id) ON DELETE CASCADE,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX desk_routing_rules_unique ON desk_routing_rules (coalesce(state_key, ''), coalesce(sector, ''));

CREATE TABLE desk_inquiries (
  id bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  region_key text NOT NULL,
  state_key text NOT NULL CHECK (state_key ~ '^[0-9]{2}$'),
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  sector text NOT NULL,
  urgency text NOT NULL CHECK (urgency IN ('high', 'normal', 'low')),
  -- Where the question arose: a Digitalcheck question, a strategy measure, a practice project, a standard.
  context_kind text CHECK (context_kind IN ('question', 'measure', 'practice', 'standard')),
  context_ref text CHECK ((context_kind IS NULL) = (context_ref IS NULL)),
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'assigned', 'in_progress', 'waiting', 'answered', 'closed')),
  team_id bigint REFERENCES desk_teams (id) ON DELETE SET NULL,
  assignee_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL,
  first_answer_due_at timestamptz NOT NULL,
  first_answered_at timestamptz,
  closed_at timestamptz,
  escalated_at timestamptz,
  -- Satisfaction after closing: one question (1–5) and a comment.
  rating smallint CHECK (rating BETWEEN 1 AND 5),
  rating_comment text CHECK (length(rating_comment) <= 2000),
  rated_at timestamptz,
  -- Optimistic locking of state changes (a stale form answers 409).
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_inquiries_queue ON desk_inquiries (status, first_answer_due_at);
CREATE INDEX desk_inquiries_org ON desk_inquiries (org_id, received_at DESC);
CREATE INDEX desk_inquiries_team ON desk_inquiries (team_id, status);
CREATE INDEX desk_inquiries_assignee ON desk_inquiries (assignee_user_id, status);
CREATE INDEX desk_inquiries_state_sector ON desk_inquiries (state_key, sector);
CREATE INDEX desk_inquiries_received ON desk_inquiries (received_at);
CREATE INDEX desk_inquiries_author ON desk_inquiries (author_user_id) WHERE author_user_id IS NOT NULL;

-- The conversation: messages of either side and advisors' internal notes (never shown to the municipality).
CREATE TABLE desk_inquiry_messages (
  id bigserial PRIMARY KEY,
  inquiry_id bigint NOT NULL REFERENCES desk_inquiries (id) ON DELETE CASCADE,
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  side text NOT NULL CHECK (side IN ('municipality', 'advisor')),
  internal boolean NOT NULL DEFAULT false CHECK (NOT internal OR side = 'advisor'),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_inquiry_messages_inquiry ON desk_inquiry_messages (inquiry_id, created_at);
CREATE INDEX desk_inquiry_messages_author ON desk_inquiry_messages (author_user_id) WHERE author_user_id IS NOT NULL;

-- Attachments (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, CSV, TXT; limits in the service). Confidential by default: a
-- mail names that a file came, never its content.
CREATE TABLE desk_inquiry_attachments (
  id bigserial PRIMARY KEY,
  inquiry_id bigint NOT NULL REFERENCES desk_inquiries (id) ON DELETE CASCADE,
  message_id bigint REFERENCES desk_inquiry_messages (id) ON DELETE CASCADE,
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  media_type text NOT NULL,
  size integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
  sha256 text NOT NULL,
  bytes bytea NOT NULL,
  confidential boolean NOT NULL DEFAULT true,
  uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_inquiry_attachments_inquiry ON desk_inquiry_attachments (inquiry_id);
CREATE INDEX desk_inquiry_attachments_uploaded_by ON desk_inquiry_attachments (uploaded_by) WHERE uploaded_by IS NOT NULL;

-- Every state change, assignment and hand-over (times to first answer and to close are computed from here and
-- from the inquiry's own timestamps).
CREATE TABLE desk_inquiry_history (
  id bigserial PRIMARY KEY,
  inquiry_id bigint NOT NULL REFERENCES desk_inquiries (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  from_status text,
  to_status text NOT NULL,
  assignee_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  note text CHECK (length(note) <= 2000)
);
CREATE INDEX desk_inquiry_history_inquiry ON desk_inquiry_history (inquiry_id, at);
CREATE INDEX desk_inquiry_history_actor ON desk_inquiry_history (actor_user_id) WHERE actor_user_id IS NOT NULL;

-- Canned answers (Textbausteine) of the advisors.
CREATE TABLE desk_canned_answers (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  sector text,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
