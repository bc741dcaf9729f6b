-- Knowledge from answers (issue 12): public FAQ entries drafted by advisors from an inquiry's answer, anonymised,
-- published only with the municipality's consent; and the indexes of the centre's dashboard (/beratung/zahlen).

CREATE TABLE desk_faq_entries (
  id bigserial PRIMARY KEY,
  -- The inquiry it came from (kept internal: never shown publicly). An erased workspace leaves the entry orphaned.
  inquiry_id bigint REFERENCES desk_inquiries (id) ON DELETE SET NULL,
  source_message_id bigint REFERENCES desk_inquiry_messages (id) ON DELETE SET NULL,
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
  answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 20000),
  sector text NOT NULL,
  -- The context of the inquiry: a Digitalcheck question, a strategy measure, a practice project, a standard.
  context_kind text CHECK (context_kind IN ('question', 'measure', 'practice', 'standard')),
  context_ref text CHECK ((context_kind IS NULL) = (context_ref IS NULL)),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  -- The municipality's consent to exactly this text (any change of the text asks again).
  consent text NOT NULL DEFAULT 'pending' CHECK (consent IN ('pending', 'given', 'declined')),
  consent_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  consent_at timestamptz,
  CHECK (status <> 'published' OR consent = 'given'),
  author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  published_by bigint REFERENCES users (id) ON DELETE SET NULL,
  published_at timestamptz,
  -- The search terms: the atlas's German analysis (stems, compound parts) of question and answer, space-separated.
  search_terms text NOT NULL DEFAULT '',
  search_vector tsvector NOT NULL DEFAULT ''::tsvector,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_faq_entries_inquiry ON desk_faq_entries (inquiry_id);
CREATE INDEX desk_faq_entries_published ON desk_faq_entries (sector, published_at DESC) WHERE status = 'published';
CREATE INDEX desk_faq_entries_search ON desk_faq_entries USING gin (search_vector);
CREATE INDEX desk_faq_entries_author ON desk_faq_entries (author_user_id) WHERE author_user_id IS NOT NULL;
CREATE INDEX desk_faq_entries_consent_user ON desk_faq_entries (consent_user_id) WHERE consent_user_id IS NOT NULL;
CREATE INDEX desk_faq_entries_published_by ON desk_faq_entries (published_by) WHERE published_by IS NOT NULL;

-- The dashboard: open inquiries per Land × sector (index-only), received per period with the times, ratings.
CREATE INDEX desk_inquiries_open_state_sector ON desk_inquiries (state_key, sector)
  WHERE status IN ('new', 'assigned', 'in_progress', 'waiting');
CREATE INDEX desk_inquiries_received_facts ON desk_inquiries (received_at, state_key, sector)
  INCLUDE (first_answered_at, closed_at, first_answer_due_at);
CREATE INDEX desk_inquiries_rated ON desk_inquiries (team_id, rated_at DESC) INCLUDE (rating, state_key)
  WHERE rating IS NOT NULL;
