-- Events and trainings of the advisory desk (issue 12): events created by the centre's advisors, registrations
-- with a waiting list, attendance, materials and recordings afterwards, and each person's calendar feed token.

CREATE TABLE desk_events (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  format text NOT NULL CHECK (format IN ('online', 'onsite')),
  -- Online: the join link (shown to registered participants only); on site: the address.
  join_url text CHECK (join_url IS NULL OR length(join_url) <= 2000),
  address text CHECK (address IS NULL OR length(address) <= 500),
  CHECK ((format = 'online' AND join_url IS NOT NULL) OR (format = 'onsite' AND address IS NOT NULL)),
  -- The target group (informational and a filter of the list): size classes, Länder, roles; empty = everyone.
  size_classes text[] NOT NULL DEFAULT '{}',
  state_keys text[] NOT NULL DEFAULT '{}',
  target_roles text[] NOT NULL DEFAULT '{}',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
  registration_deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  cancelled_at timestamptz,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  -- Optimistic locking of edits (a stale form answers 409); also the iCalendar SEQUENCE.
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_events_starts ON desk_events (starts_at);

-- Materials and recording links, added after the event.
CREATE TABLE desk_event_materials (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES desk_events (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('material', 'recording')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  added_by bigint REFERENCES users (id) ON DELETE SET NULL,
  added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_event_materials_event ON desk_event_materials (event_id, id);

-- One row per person and event. The waiting list is the 'waiting' rows in (queued_at, id) order; a cancellation
-- keeps the row ('cancelled') so that registering again queues anew.
CREATE TABLE desk_event_registrations (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES desk_events (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
  queued_at timestamptz NOT NULL,
  promoted_at timestamptz,
  cancelled_at timestamptz,
  reminded_at timestamptz,
  -- Attendance as marked by an advisor (null: not marked).
  attended boolean,
  attendance_marked_by bigint REFERENCES users (id) ON DELETE SET NULL,
  UNIQUE (event_id, user_id)
);
CREATE INDEX desk_event_registrations_queue ON desk_event_registrations (event_id, status, queued_at, id);
CREATE INDEX desk_event_registrations_user ON desk_event_registrations (user_id);
CREATE INDEX desk_event_registrations_marker ON desk_event_registrations (attendance_marked_by)
  WHERE attendance_marked_by IS NOT NULL;

-- The secret of a person's calendar feed (/veranstaltungen/feed/{token}.ics), stored as a hash; revocable.
CREATE TABLE desk_event_feed_tokens (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
