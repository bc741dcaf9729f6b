-- Notifications of the advisory desk (issue 12, "Benachrichtigungen"): each person's delivery per kind, the items
-- waiting for a daily or weekly digest, the generation of a person's unsubscribe links, and the key they are signed
-- with. No row in desk_notify_preferences means "immediate" (the default).

CREATE TABLE desk_notify_preferences (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('inquiry', 'events', 'groups', 'mentoring')),
  delivery text NOT NULL CHECK (delivery IN ('immediate', 'daily', 'weekly', 'none')),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, kind)
);

-- Per person: the version of the settings form (a stale form is a 409) and the generation of the unsubscribe links
-- (raising it makes every earlier link invalid). No row: version 0, generation 0.
CREATE TABLE desk_notify_people (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
  link_generation integer NOT NULL DEFAULT 0 CHECK (link_generation >= 0)
);

-- A notification waiting for the person's digest: subject and link only (digests never carry the text).
-- sent_at is set in the transaction that writes the digest mail; a conditional update makes every item go once.
CREATE TABLE desk_notify_queue (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('inquiry', 'events', 'groups', 'mentoring')),
  delivery text NOT NULL CHECK (delivery IN ('daily', 'weekly')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  link text NOT NULL CHECK (link ~ '^/([^/\\]|$)'),
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX desk_notify_queue_due ON desk_notify_queue (delivery, created_at) WHERE sent_at IS NULL;
CREATE INDEX desk_notify_queue_user ON desk_notify_queue (user_id);

-- The secret unsubscribe links are signed with (a key derived from it with HKDF); one row, made on first use, shared
-- by every instance of the platform.
CREATE TABLE desk_notify_secret (
  id integer PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL CHECK (length(secret) >= 43),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The outbox keeps a mail's one-click unsubscribe URL (RFC 8058) so that rendering it later (SMTP, .eml) adds the
-- List-Unsubscribe headers. A platform column, added here because notifications are its first user.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe text CHECK (list_unsubscribe ~ '^https?://[^\s<>,]+$');
