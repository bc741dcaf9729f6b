-- FAQ entries where their question arose (issue 12: "linked to the question, measure, project or standard it
-- belongs to"): the FAQ list filters by context (/beratung/faq?kontext=measure&ref=…, GET /api/v1/faq?context=…),
-- and a strategy's page lists the answers to its measures. Only published entries are ever looked up so.
CREATE INDEX desk_faq_entries_context ON desk_faq_entries (context_kind, context_ref, published_at DESC)
  WHERE status = 'published' AND context_kind IS NOT NULL;
