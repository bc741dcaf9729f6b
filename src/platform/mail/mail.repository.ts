import type { Db } from '../db/db.js';

export type MailStatus = 'pending' | 'sent' | 'failed' | 'stored';
export const MAIL_STATUSES: readonly MailStatus[] = ['pending', 'sent', 'failed', 'stored'];

/** One mail of the outbox as stored. */
export interface OutboxRow {
  id: number;
  createdAt: Date;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  /** When the next delivery attempt is due; null once sent, stored or failed. */
  nextAttemptAt: Date | null;
  /** When the mail was accepted by the SMTP server, or stored in the outbox. */
  sentAt: Date | null;
  /** The one-click unsubscribe URL (RFC 8058) of notifications, else null. */
  listUnsubscribe: string | null;
}

export interface NewMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
  listUnsubscribe?: string | null;
  createdAt: Date;
}

const COLUMNS = `id, created_at AS "createdAt", to_address AS "to", subject, body_text AS text, body_html AS html,
  kind, status, attempts, last_error AS "lastError", next_attempt_at AS "nextAttemptAt", sent_at AS "sentAt",
  list_unsubscribe AS "listUnsubscribe"`;

/** Insert a mail as pending and due at once; returns its id. */
export async function insertMail(db: Db, m: NewMail): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO mail_outbox (created_at, to_address, subject, body_text, body_html, kind, status, next_attempt_at,
       list_unsubscribe)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $1, $7) RETURNING id`,
    [m.createdAt, m.to, m.subject, m.text, m.html, m.kind, m.listUnsubscribe ?? null],
  );
  return rows[0]!.id;
}

/**
 * Take up to `limit` due pending mails for delivery: their next attempt moves to `leaseUntil`, so that no
 * other worker (or a later run) takes them meanwhile, and a crash mid-delivery only delays them.
 */
export async function claimDueMails(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await db.query<OutboxRow>(
    `UPDATE mail_outbox SET next_attempt_at = $2
     WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1
                  ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now, leaseUntil, limit],
  );
  return rows.sort((a, b) => a.id - b.id);
}

export async function markDelivered(db: Db, id: number, status: 'sent' | 'stored', at: Date): Promise<void> {
  await db.query(
    `UPDATE mail_outbox SET status = $2, sent_at = $3, attempts = attempts + 1, next_attempt_at = NULL
     WHERE id = $1`,
    [id, status, at],
  );
}

/** Record a failed attempt: pending again at `nextAttemptAt`, or failed for good when that is null. */
export async function markAttemptFailed(db: Db, id: number, error: string, nextAttemptAt: Date | null): Promise<void> {
  await db.query(
    `UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
       status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END
     WHERE id = $1`,
    [id, error, nextAttemptAt],
  );
}

/** Queue a failed mail for one more attempt at `now`; false when it is not failed. */
export async function requeueFailedMail(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE mail_outbox SET status = 'pending', next_attempt_at = $2 WHERE id = $1 AND status = 'failed'
     RETURNING id`,
    [id, now],
  );
  return rows.length > 0;
}

export async function getMail(db: Db, id: number): Promise<OutboxRow | null> {
  const rows = await db.query<OutboxRow>(`SELECT ${COLUMNS} FROM mail_outbox WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Mails newest first, optionally of one status. */
export async function listMails(
  db: Db,
  filter: { status: MailStatus | null; limit: number; offset: number },
): Promise<OutboxRow[]> {
  return db.query<OutboxRow>(
    `SELECT ${COLUMNS} FROM mail_outbox WHERE ($1::text IS NULL OR status = $1)
     ORDER BY id DESC LIMIT $2 OFFSET $3`,
    [filter.status, filter.limit, filter.offset],
  );
}

export async function countMails(db: Db, status: MailStatus | null): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM mail_outbox WHERE ($1::text IS NULL OR status = $1)',
    [status],
  );
  return rows[0]?.n ?? 0;
}

// Personal data (DSGVO): the mails a person received

/** Mails of the outbox addressed to any of `addresses` (lower case). */
export async function mailsTo(db: Db, addresses: readonly string[]) {
  return db.query<{
    createdAt: Date;
    to: string;
    subject: string;
    text: string;
    kind: string;
    status: string;
    sentAt: Date | null;
  }>(
    `SELECT created_at AS "createdAt", to_address AS "to", subject, body_text AS text, kind, status, sent_at AS "sentAt"
     FROM mail_outbox WHERE lower(to_address) = ANY($1::text[]) ORDER BY id`,
    [addresses],
  );
}

/** Ids and kinds of the mails to `addresses` (their .eml copies are removed after an erasure). */
export async function mailIdsTo(db: Db, addresses: readonly string[]): Promise<{ id: number; kind: string }[]> {
  return db.query<{ id: number; kind: string }>(
    'SELECT id::int AS id, kind FROM mail_outbox WHERE lower(to_address) = ANY($1::text[])',
    [addresses],
  );
}

export const ERASED_ADDRESS = 'geloescht@invalid';
export const ERASED_TEXT = '[gelöscht]';

/**
 * Erase the address and the text of every mail to `addresses` (the rows stay: the outbox is never thinned
 * out otherwise). Mails still waiting for delivery are given up. Returns the ids and kinds of the mails.
 */
export async function scrubMails(db: Db, addresses: readonly string[]): Promise<{ id: number; kind: string }[]> {
  return db.query<{ id: number; kind: string }>(
    `UPDATE mail_outbox SET to_address = $2, body_text = $3,
       body_html = CASE WHEN body_html IS NULL THEN NULL ELSE $3 END,
       status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
       last_error = CASE WHEN status = 'pending' THEN 'Konto gelöscht, Nachricht nicht zugestellt' ELSE last_error END,
       next_attempt_at = CASE WHEN status = 'pending' THEN NULL ELSE next_attempt_at END
     WHERE lower(to_address) = ANY($1::text[])
     RETURNING id::int AS id, kind`,
    [addresses, ERASED_ADDRESS, ERASED_TEXT],
  );
}
