-- The advisors' queue (issue 12): its page and its counts read only these columns, so with this index both are
-- index-only scans instead of visiting the wide inquiry rows (subject, body) on the heap. In the order of the
-- queue within one status. Measured with 50,000 inquiries (bench/desk.ts): 11.1 + 8.7 ms → 4.8 + 3.0 ms for the
-- page and the counts of a Land advisor's open inquiries on PostgreSQL 15.
CREATE INDEX desk_inquiries_queue_cover ON desk_inquiries (status, (first_answered_at IS NOT NULL), first_answer_due_at, id)
  INCLUDE (state_key, sector, team_id, assignee_user_id, first_answered_at);
