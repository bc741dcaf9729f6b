/** SQL of notifications (the only file of notify/ with SQL). */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/db.js';
import type { Delivery, NotifyKind } from '../contract.js';

/** The mail address of an account, null when it is gone. */
export async function emailOf(db: Db, userId: number): Promise<string | null> {
  const [u] = await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
  return u?.email ?? null;
}

/** The stored secret of unsubscribe links, made on first use (every instance ends up with the same one). */
export async function notifySecret(db: Db): Promise<string> {
  await db.query('INSERT INTO desk_notify_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
    randomBytes(32).toString('base64url'),
  ]);
  const [row] = await db.query<{ secret: string }>('SELECT secret FROM desk_notify_secret WHERE id = 1');
  return row!.secret;
}

export async function deliveryOf(db: Db, userId: number, kind: NotifyKind): Promise<Delivery | null> {
  const [row] = await db.query<{ delivery: Delivery }>(
    'SELECT delivery FROM desk_notify_preferences WHERE user_id = $1 AND kind = $2',
    [userId, kind],
  );
  return row?.delivery ?? null;
}

export async function preferencesOf(db: Db, userId: number): Promise<{ kind: NotifyKind; delivery: Delivery }[]> {
  return db.query('SELECT kind, delivery FROM desk_notify_preferences WHERE user_id = $1 ORDER BY kind', [userId]);
}

export interface PersonRow {
  version: number;
  linkGeneration: number;
}

export async function personOf(db: Db, userId: number): Promise<PersonRow> {
  const [row] = await db.query<PersonRow>(
    `SELECT version, link_generation AS "linkGeneration" FROM desk_notify_people WHERE user_id = $1`,
    [userId],
  );
  return row ?? { version: 0, linkGeneration: 0 };
}

/** The person's row, locked for the rest of the transaction (made on first use). */
export async function lockPerson(tx: Db, userId: number): Promise<PersonRow> {
  await tx.query('INSERT INTO desk_notify_people (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING', [userId]);
  const [row] = await tx.query<PersonRow>(
    `SELECT version, link_generation AS "linkGeneration" FROM desk_notify_people WHERE user_id = $1 FOR UPDATE`,
    [userId],
  );
  return row!;
}

export async function bumpVersion(tx: Db, userId: number): Promise<void> {
  await tx.query('UPDATE desk_notify_people SET version = version + 1 WHERE user_id = $1', [userId]);
}

/** Make every earlier unsubscribe link of the person invalid; returns the new generation. */
export async function nextLinkGeneration(tx: Db, userId: number): Promise<number> {
  await lockPerson(tx, userId);
  const [row] = await tx.query<{ g: number }>(
    `UPDATE desk_notify_people SET link_generation = link_generation + 1, version = version + 1
     WHERE user_id = $1 RETURNING link_generation AS g`,
    [userId],
  );
  return row!.g;
}

export async function setDelivery(tx: Db, userId: number, kind: NotifyKind, delivery: Delivery, at: Date) {
  await tx.query(
    `INSERT INTO desk_notify_preferences (user_id, kind, delivery, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, kind) DO UPDATE SET delivery = EXCLUDED.delivery, updated_at = EXCLUDED.updated_at`,
    [userId, kind, delivery, at],
  );
}

/**
 * After a change of the person's choice for a kind: waiting items follow it (into the other digest), go into
 * the next daily digest (immediate: nothing already waiting is lost), or are dropped (none).
 */
export async function requeue(tx: Db, userId: number, kind: NotifyKind, delivery: Delivery): Promise<void> {
  if (delivery === 'none') {
    await tx.query('DELETE FROM desk_notify_queue WHERE user_id = $1 AND kind = $2 AND sent_at IS NULL', [
      userId,
      kind,
    ]);
    return;
  }
  await tx.query('UPDATE desk_notify_queue SET delivery = $3 WHERE user_id = $1 AND kind = $2 AND sent_at IS NULL', [
    userId,
    kind,
    delivery === 'weekly' ? 'weekly' : 'daily',
  ]);
}

export async function enqueue(
  db: Db,
  item: { userId: number; kind: NotifyKind; delivery: 'daily' | 'weekly'; subject: string; link: string; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO desk_notify_queue (user_id, kind, delivery, subject, link, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [item.userId, item.kind, item.delivery, item.subject, item.link, item.at],
  );
}

/** People (ids above `after`, in order) with items of a digest due (queued before `cutoff` and not sent). */
export async function dueRecipients(
  db: Db,
  delivery: 'daily' | 'weekly',
  cutoff: Date,
  after: number,
  limit: number,
): Promise<number[]> {
  const rows = await db.query<{ userId: number }>(
    `SELECT DISTINCT user_id::int AS "userId" FROM desk_notify_queue
     WHERE delivery = $1 AND sent_at IS NULL AND created_at < $2 AND user_id > $3 ORDER BY 1 LIMIT $4`,
    [delivery, cutoff, after, limit],
  );
  return rows.map((r) => r.userId);
}

export interface QueuedItem {
  kind: NotifyKind;
  subject: string;
  link: string;
  createdAt: Date;
}

/**
 * Mark the person's due items of a digest sent and return them. Conditional (`sent_at IS NULL`): when two runs
 * race, the second waits for the first's row locks and then finds nothing, so every item is sent once.
 */
export async function takeDue(
  tx: Db,
  userId: number,
  delivery: 'daily' | 'weekly',
  cutoff: Date,
  at: Date,
): Promise<QueuedItem[]> {
  const rows = await tx.query<QueuedItem & { id: number }>(
    `UPDATE desk_notify_queue SET sent_at = $4
     WHERE user_id = $1 AND delivery = $2 AND sent_at IS NULL AND created_at < $3
     RETURNING id::int AS id, kind, subject, link, created_at AS "createdAt"`,
    [userId, delivery, cutoff, at],
  );
  return rows.sort((a, b) => a.id - b.id).map(({ id: _, ...r }) => r);
}

/** Sent items are kept this long (then removed by the digest job). */
export async function pruneSent(db: Db, before: Date): Promise<number> {
  const rows = await db.query('DELETE FROM desk_notify_queue WHERE sent_at < $1 RETURNING id', [before]);
  return rows.length;
}

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  return {
    desk_notify_preferences: await db.query(
      'SELECT kind, delivery, updated_at AS "updatedAt" FROM desk_notify_preferences WHERE user_id = $1 ORDER BY kind',
      [userId],
    ),
    desk_notify_people: await db.query(
      'SELECT version, link_generation AS "linkGeneration" FROM desk_notify_people WHERE user_id = $1',
      [userId],
    ),
    desk_notify_queue: await db.query(
      `SELECT kind, delivery, subject, link, created_at AS "createdAt", sent_at AS "sentAt"
       FROM desk_notify_queue WHERE user_id = $1 ORDER BY id`,
      [userId],
    ),
  };
}

/** The person goes: their choices, link generation and waiting (or recently sent) digest items with them. */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const prefs = await tx.query('DELETE FROM desk_notify_preferences WHERE user_id = $1 RETURNING kind', [userId]);
  const queue = await tx.query('DELETE FROM desk_notify_queue WHERE user_id = $1 RETURNING id', [userId]);
  await tx.query('DELETE FROM desk_notify_people WHERE user_id = $1', [userId]);
  return { notifyPreferences: prefs.length, notifyQueued: queue.length };
}
