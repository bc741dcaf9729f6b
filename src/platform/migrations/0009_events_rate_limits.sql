-- module: platform
-- Domain events (the outbox other modules and instances react to) and rate-limit windows shared by all
-- instances of the platform on one database.

CREATE TABLE domain_events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domain_events_type ON domain_events (type, id);

-- How far each once-per-platform handler has read the events (exactly one instance runs it at a time).
CREATE TABLE event_cursors (
  handler text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Fixed windows: `count` attempts since the window opened, until `reset_at`.
CREATE TABLE rate_limit_windows (
  key text PRIMARY KEY,
  count integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_windows_reset ON rate_limit_windows (reset_at);
