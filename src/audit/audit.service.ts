import { csvCell, csvLine } from '../platform/csv.js';
import type { Db } from '../platform/db/db.js';
import * as repo from './audit.repository.js';

export type { AuditListRow, AuditRow } from './audit.repository.js';

type Fields = Record<string, unknown>;

/** One change to record. */
export interface AuditEntry {
  /** What happened, "<entity>.<verb>", e.g. "user.signup", "session.logout-everywhere", "token.create". */
  action: string;
  /** The kind of thing changed, e.g. "user", "organisation". */
  entity: string;
  entityId?: string | number | null;
  /** The organisation the change belongs to (organisation admins see their organisation's entries). */
  orgId?: number | null;
  /** Who did it; null for the system (CLI, background jobs) or an anonymous request. */
  actorUserId: number | null;
  /** The changed fields before and after (see {@link changedFields}); null for creation resp. deletion. */
  before?: Fields | null;
  after?: Fields | null;
  requestId?: string | null;
}

/** What stands in the log instead of a value that must not be stored there. */
export const REDACTED = '[entfernt]';

/** Keys whose values never enter the log (booleans such as `passwordSet` may). */
const SENSITIVE_KEY = /e-?mail|passw|hash|token|secret|geheim/i;
/** Values that look like an e-mail address never enter the log either, whatever their key. */
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

function scrub(value: unknown, sensitive: boolean): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (sensitive) return REDACTED;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return EMAIL_LIKE.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, false));
  if (typeof value === 'object') return scrubFields(value as Fields);
  return value;
}

/**
 * Privacy by design: the log refers to people by id only. Values under keys like "email", "password",
 * "hash" or "token", and any value that looks like an e-mail address, are replaced by {@link REDACTED}
 * (so the entry still says that the field changed).
 */
export function scrubFields(fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = scrub(value, SENSITIVE_KEY.test(key));
  }
  return out;
}

/** A stable text form of a value for comparison (object keys sorted, dates as ISO strings). */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * Keep only the fields that differ between two states of a record. `before` null means the record was
 * created (all defined fields of `after` are kept), `after` null that it was deleted. A field missing on one
 * side counts as changed and appears only on the side that has it. Both sides empty: nothing changed.
 */
export function changedFields(
  before: Fields | null | undefined,
  after: Fields | null | undefined,
): { before: Fields | null; after: Fields | null } {
  const defined = (f: Fields) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
  if (!before) return { before: null, after: after ? defined(after) : null };
  if (!after) return { before: defined(before), after: null };
  const b: Fields = {};
  const a: Fields = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const x = before[key];
    const y = after[key];
    if (canonical(x) === canonical(y)) continue;
    if (x !== undefined) b[key] = x;
    if (y !== undefined) a[key] = y;
  }
  return { before: b, after: a };
}

/** Whether a {@link changedFields} result records any change. */
export function hasChanges(diff: { before: Fields | null; after: Fields | null }): boolean {
  return (
    diff.before === null || diff.after === null || Object.keys(diff.before).length + Object.keys(diff.after).length > 0
  );
}

/**
 * Append an entry to the audit log. Pass the transaction handle of the change itself, so that the entry
 * commits (or rolls back) with it. Returns the entry's id.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<number> {
  return repo.insertAudit(db, {
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    orgId: entry.orgId ?? null,
    actorUserId: entry.actorUserId,
    before: entry.before ? scrubFields(entry.before) : null,
    after: entry.after ? scrubFields(entry.after) : null,
    requestId: entry.requestId ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface AuditFilter {
  /** Exact action, or a prefix up to a dot ("user" = every "user.…" action). */
  action?: string | null;
  actorUserId?: number | null;
  /** Only this organisation's entries (the organisation admins' view). */
  orgId?: number | null;
  /** First and last day, YYYY-MM-DD, inclusive, German time. */
  from?: string | null;
  to?: string | null;
  /** Keyset paging: entries older than this id. */
  beforeId?: number | null;
  /** Page size, 1–500 (default 50). */
  limit?: number;
}

export const AUDIT_PAGE_SIZE = 50;

/** A page of entries, newest first; `nextBeforeId` continues with older ones (null on the last page). */
export async function listAudit(
  db: Db,
  filter: AuditFilter = {},
): Promise<{ rows: repo.AuditListRow[]; nextBeforeId: number | null }> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? AUDIT_PAGE_SIZE), 1), 500);
  const rows = await repo.listAudit(db, { ...filter, limit: limit + 1 });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
}

/** Every audit entry made by a person or about their account (data export). */
export async function auditOfUser(db: Db, userId: number) {
  return repo.auditOfUser(db, userId);
}

// ---------------------------------------------------------------------------------------------
// CSV export (RFC 4180)

export { csvCell, csvLine };

export const AUDIT_CSV_HEADER = [
  'id',
  'at',
  'actor_user_id',
  'actor_email',
  'org_id',
  'action',
  'entity',
  'entity_id',
  'before',
  'after',
  'request_id',
] as const;

/**
 * The entries matching the filter as CSV lines (header first, newest entry first), read in batches so that
 * a long log never sits in memory at once. Starts with a UTF-8 byte order mark for spreadsheet programs.
 */
export async function* auditCsv(db: Db, filter: Omit<AuditFilter, 'beforeId' | 'limit'>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(AUDIT_CSV_HEADER)}`;
  let beforeId: number | null = null;
  do {
    const page: Awaited<ReturnType<typeof listAudit>> = await listAudit(db, { ...filter, beforeId, limit: 500 });
    let chunk = '';
    for (const r of page.rows) {
      chunk += csvLine([
        r.id,
        r.at,
        r.actorUserId,
        r.actorEmail,
        r.orgId,
        r.action,
        r.entity,
        r.entityId,
        r.before === null ? '' : JSON.stringify(r.before),
        r.after === null ? '' : JSON.stringify(r.after),
        r.requestId,
      ]);
    }
    if (chunk) yield chunk;
    beforeId = page.nextBeforeId;
  } while (beforeId !== null);
}
