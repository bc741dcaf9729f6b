-- Every mail the platform sends (src/platform/mail/). A row is written before any delivery attempt and
-- is never deleted, so no mail is silently dropped: platform admins read the outbox at /admin/outbox.
--   pending: waiting for (another) delivery attempt at next_attempt_at
--   sent:    accepted by the SMTP server
--   stored:  no SMTP configured; kept here (and as DATA_DIR/outbox/<id>-<kind>.eml) for local verification
--   failed:  gave up after the last retry; last_error says why
CREATE TABLE mail_outbox (
  id bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{0,39}$'),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'stored')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text,
  next_attempt_at timestamptz,
  sent_at timestamptz,
  CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
);

-- The delivery worker: due pending mails, oldest first.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
-- The admin outbox, filtered by status, newest first.
CREATE INDEX mail_outbox_status ON mail_outbox (status, id DESC);
