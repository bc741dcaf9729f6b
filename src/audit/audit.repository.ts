import type { Db } from '../platform/db/db.js';

/** One stored entry of the audit log. */
export interface AuditRow {
  id: number;
  at: Date;
  actorUserId: number | null;
  orgId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

/** An entry as the admin views show it: with the current e-mail of the accounts it names (null when gone). */
export interface AuditListRow extends AuditRow {
  /** Current e-mail address of the actor; null without actor or when the account was deleted. */
  actorEmail: string | null;
  /** For entries about an account (entity 'user'): its current e-mail address, null when deleted. */
  entityEmail: string | null;
}

export interface NewAuditRow {
  actorUserId: number | null;
  orgId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

/** Which entries to list; every criterion is optional and they combine with AND. */
export interface AuditQuery {
  /** Exact action ("user.signup"), or its prefix up to a dot ("user" matches "user.signup", "user.verify"). */
  action?: string | null;
  actorUserId?: number | null;
  orgId?: number | null;
  /** First day (YYYY-MM-DD, German time), inclusive. */
  from?: string | null;
  /** Last day (YYYY-MM-DD, German time), inclusive. */
  to?: string | null;
  /** Keyset paging: only entries with a smaller id (older). */
  beforeId?: number | null;
  limit: number;
}

const COLUMNS = `l.id, l.at, l.actor_user_id AS "actorUserId", l.org_id AS "orgId", l.action, l.entity,
  l.entity_id AS "entityId", l.before, l.after, l.request_id AS "requestId"`;

export async function insertAudit(db: Db, e: NewAuditRow): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO audit_log (actor_user_id, org_id, action, entity, entity_id, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8) RETURNING id`,
    [
      e.actorUserId,
      e.orgId,
      e.action,
      e.entity,
      e.entityId,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : JSON.stringify(e.after),
      e.requestId,
    ],
  );
  return rows[0]!.id;
}

/** Entries matching the query, newest first (by id), with the current e-mail of the accounts they name. */
export async function listAudit(db: Db, q: AuditQuery): Promise<AuditListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.action) {
    const p = param(q.action);
    where.push(`(l.action = ${p} OR starts_with(l.action, ${p} || '.'))`);
  }
  if (q.actorUserId != null) where.push(`l.actor_user_id = ${param(q.actorUserId)}`);
  if (q.orgId != null) where.push(`l.org_id = ${param(q.orgId)}`);
  if (q.from) where.push(`l.at >= (${param(q.from)}::date::timestamp AT TIME ZONE 'Europe/Berlin')`);
  if (q.to) where.push(`l.at < ((${param(q.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/Berlin')`);
  if (q.beforeId != null) where.push(`l.id < ${param(q.beforeId)}`);
  const limit = param(q.limit);
  return db.query<AuditListRow>(
    `SELECT ${COLUMNS}, a.email AS "actorEmail", s.email AS "entityEmail"
     FROM audit_log l
     LEFT JOIN users a ON a.id = l.actor_user_id
     LEFT JOIN users s ON l.entity = 'user' AND s.id::text = l.entity_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY l.id DESC LIMIT ${limit}`,
    params,
  );
}

/** Every entry a person made, or that is about their account (for the data export), oldest first. */
export async function auditOfUser(db: Db, userId: number): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log l
     WHERE l.actor_user_id = $1 OR (l.entity = 'user' AND l.entity_id = $1::text)
     ORDER BY l.id`,
    [userId],
  );
}
