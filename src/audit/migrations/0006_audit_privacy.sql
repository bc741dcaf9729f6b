-- Audit log: an append-only record of every change (who, for which organisation, what, when, the changed
-- fields before and after, and the request id). Privacy by design: entries refer to people by user id only,
-- never by e-mail address, and never hold passwords, hashes or tokens (src/audit/audit.service.ts redacts them).
-- No foreign keys: entries outlive the accounts and organisations they mention.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint,
  org_id bigint,
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$'),
  entity text NOT NULL CHECK (entity ~ '^[a-z][a-z0-9_-]*$'),
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text
);

-- The admin view (newest first, keyset paging by id), filtered by organisation, actor, action or time.
CREATE INDEX audit_log_org ON audit_log (org_id, id DESC) WHERE org_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id DESC) WHERE actor_user_id IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Append-only, enforced by the database: UPDATE, DELETE and TRUNCATE raise an exception.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = '55000';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
