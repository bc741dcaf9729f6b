-- module: market
-- The solution market (issue 11): solutions of provider workspaces (a working copy the provider edits, the published
-- version the public sees, every published version kept), references confirmed by the using municipality's
-- workspace admin, and reviews by members of verified municipal workspaces (one per workspace) with the provider's
-- single answer.

CREATE TABLE solutions (
  id bigserial PRIMARY KEY,
  -- The provider workspace that lists the solution (its organisation is the provider).
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  review text NOT NULL DEFAULT 'draft' CHECK (review IN ('draft', 'submitted', 'changes_requested', 'published')),
  -- The working copy and its revision (a form carries the revision it was loaded with: conflicting edits).
  content jsonb NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  -- The published version (what the public sees while the provider works on the next one).
  published jsonb,
  published_version integer NOT NULL DEFAULT 0,
  first_published_at timestamptz,
  published_at timestamptz,
  -- The advisor's last comment when changes were requested.
  review_comment text CHECK (length(review_comment) <= 5000),
  reviewed_by bigint REFERENCES users (id) ON DELETE SET NULL,
  reviewed_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((published IS NULL) = (published_version = 0)),
  CHECK (review <> 'published' OR published IS NOT NULL)
);
CREATE INDEX solutions_org ON solutions (org_id);
CREATE INDEX solutions_review ON solutions (review) WHERE review = 'submitted';
CREATE INDEX solutions_published ON solutions (published_at DESC) WHERE published IS NOT NULL;
CREATE INDEX solutions_created_by ON solutions (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX solutions_reviewed_by ON solutions (reviewed_by) WHERE reviewed_by IS NOT NULL;

-- Every published version: the content as published, who published it, the advisor's note.
CREATE TABLE solution_versions (
  solution_id bigint NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  content jsonb NOT NULL,
  published_by bigint REFERENCES users (id) ON DELETE SET NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  note text CHECK (length(note) <= 5000),
  PRIMARY KEY (solution_id, version)
);
CREATE INDEX solution_versions_published_by ON solution_versions (published_by) WHERE published_by IS NOT NULL;

-- References: the provider names a municipality that uses the solution; only the admin of that municipality's
-- workspace confirms (then it counts) or declines it. A declined reference stays declined (no asking again).
CREATE TABLE solution_references (
  id bigserial PRIMARY KEY,
  solution_id bigint NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
  municipality_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  region_key text NOT NULL REFERENCES regions (key),
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'confirmed', 'declined')),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  requested_by bigint REFERENCES users (id) ON DELETE SET NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by bigint REFERENCES users (id) ON DELETE SET NULL,
  decided_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  UNIQUE (solution_id, municipality_org_id),
  CHECK ((status = 'requested') = (decided_at IS NULL))
);
CREATE INDEX solution_references_org ON solution_references (municipality_org_id);
CREATE INDEX solution_references_confirmed ON solution_references (solution_id) WHERE status = 'confirmed';
CREATE INDEX solution_references_requested_by ON solution_references (requested_by) WHERE requested_by IS NOT NULL;
CREATE INDEX solution_references_decided_by ON solution_references (decided_by) WHERE decided_by IS NOT NULL;

-- Reviews: by a member of a verified municipal workspace, one per workspace and solution; the provider answers once.
CREATE TABLE solution_reviews (
  id bigserial PRIMARY KEY,
  solution_id bigint NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  answer text CHECK (length(answer) BETWEEN 1 AND 5000),
  answered_by bigint REFERENCES users (id) ON DELETE SET NULL,
  answered_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  UNIQUE (solution_id, org_id),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX solution_reviews_org ON solution_reviews (org_id);
CREATE INDEX solution_reviews_author ON solution_reviews (author_user_id) WHERE author_user_id IS NOT NULL;
CREATE INDEX solution_reviews_answered_by ON solution_reviews (answered_by) WHERE answered_by IS NOT NULL;
