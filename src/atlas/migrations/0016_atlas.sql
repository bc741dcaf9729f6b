-- module: atlas
-- The Praxisatlas: practice projects of municipalities (a working copy the team edits, the published version the
-- public sees, every published version kept), their regions, attachments, the review, and attested reuse.

CREATE TABLE practices (
  id bigserial PRIMARY KEY,
  -- The municipal workspace whose team writes the project; imported projects belong to none.
  org_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
  -- The lead region (the first of the content's regions) and its Land: the advisors of that Land review.
  region_key text NOT NULL REFERENCES regions (key),
  state_key text NOT NULL CHECK (state_key ~ '^[0-9]{2}$'),
  -- The id of the source a bulk import took it from (re-importing the same id updates the project).
  external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 100),
  review text NOT NULL DEFAULT 'draft' CHECK (review IN ('draft', 'submitted', 'changes_requested', 'published')),
  -- The working copy and its revision (a form carries the revision it was loaded with: conflicting edits).
  content jsonb NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  -- The published version (what the public sees while the team works on the next one).
  published jsonb,
  published_version integer NOT NULL DEFAULT 0,
  first_published_at timestamptz,
  published_at timestamptz,
  -- The advisor's last comment when changes were requested.
  review_comment text CHECK (length(review_comment) <= 5000),
  reviewed_by bigint REFERENCES users (id) ON DELETE SET NULL,
  reviewed_at timestamptz,
  -- Facts of the lead region for facets and recommendations, fixed at publication.
  size_class text,
  region_kind text,
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((published IS NULL) = (published_version = 0)),
  CHECK (review <> 'published' OR published IS NOT NULL)
);
CREATE INDEX practices_org ON practices (org_id) WHERE org_id IS NOT NULL;
CREATE INDEX practices_review ON practices (state_key, review) WHERE review = 'submitted';
CREATE INDEX practices_published ON practices (published_at DESC) WHERE published IS NOT NULL;
CREATE INDEX practices_created_by ON practices (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX practices_reviewed_by ON practices (reviewed_by) WHERE reviewed_by IS NOT NULL;

-- Every published version: the content as published, who published it, the advisor's note.
CREATE TABLE practice_versions (
  practice_id bigint NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  content jsonb NOT NULL,
  published_by bigint REFERENCES users (id) ON DELETE SET NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  note text CHECK (length(note) <= 5000),
  PRIMARY KEY (practice_id, version)
);
CREATE INDEX practice_versions_published_by ON practice_versions (published_by) WHERE published_by IS NOT NULL;

-- The regions of the published version (profiles list their projects; the Lagebild counts per Land).
CREATE TABLE practice_regions (
  practice_id bigint NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
  region_key text NOT NULL REFERENCES regions (key),
  lead boolean NOT NULL DEFAULT false,
  PRIMARY KEY (practice_id, region_key)
);
CREATE INDEX practice_regions_region ON practice_regions (region_key);

-- Attachments (PDF, PNG, JPEG), stored in the database and only ever served as downloads.
CREATE TABLE practice_attachments (
  id bigserial PRIMARY KEY,
  practice_id bigint NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
  sha256 text NOT NULL,
  bytes bytea NOT NULL,
  uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX practice_attachments_practice ON practice_attachments (practice_id);
CREATE INDEX practice_attachments_uploaded_by ON practice_attachments (uploaded_by) WHERE uploaded_by IS NOT NULL;

-- Reuse (Nachnutzung): another municipality asks, its workspace admin attests that it uses the solution since a
-- date, and the project's team confirms. Only a confirmed reuse counts; an attested one is a claim.
CREATE TABLE practice_reuses (
  id bigserial PRIMARY KEY,
  practice_id bigint NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
  adopter_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  adopter_region_key text NOT NULL REFERENCES regions (key),
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'attested', 'confirmed', 'declined')),
  message text NOT NULL DEFAULT '' CHECK (length(message) <= 5000),
  requested_by bigint REFERENCES users (id) ON DELETE SET NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  in_use_since date,
  attested_by bigint REFERENCES users (id) ON DELETE SET NULL,
  attested_at timestamptz,
  confirmed_by bigint REFERENCES users (id) ON DELETE SET NULL,
  confirmed_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  UNIQUE (practice_id, adopter_org_id),
  CHECK (status NOT IN ('attested', 'confirmed') OR in_use_since IS NOT NULL),
  CHECK (status <> 'confirmed' OR attested_at IS NOT NULL)
);
CREATE INDEX practice_reuses_adopter ON practice_reuses (adopter_org_id);
CREATE INDEX practice_reuses_region ON practice_reuses (adopter_region_key);
CREATE INDEX practice_reuses_requested_by ON practice_reuses (requested_by) WHERE requested_by IS NOT NULL;
CREATE INDEX practice_reuses_attested_by ON practice_reuses (attested_by) WHERE attested_by IS NOT NULL;
CREATE INDEX practice_reuses_confirmed_by ON practice_reuses (confirmed_by) WHERE confirmed_by IS NOT NULL;
