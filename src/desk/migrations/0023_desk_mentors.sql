-- Peer mentors of the advisory desk (issue 12, "Kommune hilft Kommune"): a municipal workspace that has done a
-- strategy measure or run a practice project offers itself as mentor for it; another municipality requests a
-- mentoring, which the mentor's workspace accepts or declines.

CREATE TABLE desk_mentor_offers (
  id bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  -- What the mentoring is about: a catalogue measure (its id) or a published practice project (its id).
  subject_kind text NOT NULL CHECK (subject_kind IN ('measure', 'practice')),
  subject_ref text NOT NULL CHECK (length(subject_ref) BETWEEN 1 AND 200),
  -- The contact person: an account of the workspace (cleared when the account goes; the offer pauses then).
  contact_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  hours_per_month smallint CHECK (hours_per_month BETWEEN 1 AND 200),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  version integer NOT NULL DEFAULT 1,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, subject_kind, subject_ref)
);
CREATE INDEX desk_mentor_offers_subject ON desk_mentor_offers (subject_kind, subject_ref) WHERE status = 'active';
CREATE INDEX desk_mentor_offers_contact ON desk_mentor_offers (contact_user_id) WHERE contact_user_id IS NOT NULL;
CREATE INDEX desk_mentor_offers_created_by ON desk_mentor_offers (created_by) WHERE created_by IS NOT NULL;

-- A request for a mentoring: requested → accepted | declined; accepted → completed | cancelled (a requested one may
-- be cancelled by the requesting side). The offer's facts are kept, so that a withdrawn offer leaves its
-- mentorings readable (offer_id is cleared).
CREATE TABLE desk_mentorings (
  id bigserial PRIMARY KEY,
  offer_id bigint REFERENCES desk_mentor_offers (id) ON DELETE SET NULL,
  mentor_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  mentee_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  subject_kind text NOT NULL CHECK (subject_kind IN ('measure', 'practice')),
  subject_ref text NOT NULL CHECK (length(subject_ref) BETWEEN 1 AND 200),
  -- The Land of the mentee municipality (the Lagebild counts accepted mentorings per Land).
  mentee_state_key text NOT NULL CHECK (mentee_state_key ~ '^[0-9]{2}$'),
  requested_by bigint REFERENCES users (id) ON DELETE SET NULL,
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
  status text NOT NULL DEFAULT 'requested'
    CHECK (status IN ('requested', 'accepted', 'declined', 'completed', 'cancelled')),
  reply text NOT NULL DEFAULT '' CHECK (length(reply) <= 2000),
  decided_by bigint REFERENCES users (id) ON DELETE SET NULL,
  decided_at timestamptz,
  accepted_at timestamptz,
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (mentor_org_id <> mentee_org_id),
  CHECK (status IN ('requested', 'declined') OR accepted_at IS NOT NULL OR status = 'cancelled')
);
-- One open request (requested or accepted) per offer and requesting workspace.
CREATE UNIQUE INDEX desk_mentorings_open ON desk_mentorings (offer_id, mentee_org_id)
  WHERE status IN ('requested', 'accepted');
CREATE INDEX desk_mentorings_mentor ON desk_mentorings (mentor_org_id, created_at DESC);
CREATE INDEX desk_mentorings_mentee ON desk_mentorings (mentee_org_id, created_at DESC);
CREATE INDEX desk_mentorings_state ON desk_mentorings (mentee_state_key) WHERE accepted_at IS NOT NULL;
CREATE INDEX desk_mentorings_requested_by ON desk_mentorings (requested_by) WHERE requested_by IS NOT NULL;
CREATE INDEX desk_mentorings_decided_by ON desk_mentorings (decided_by) WHERE decided_by IS NOT NULL;
