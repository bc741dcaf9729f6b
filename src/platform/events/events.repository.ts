import type { Db } from '../db/db.js';

export const EVENT_CHANNEL = 'kl_events';

export interface EventRow {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const COLUMNS = `id::int AS id, type, payload, created_at AS "createdAt"`;

/** Append an event inside the caller's transaction and notify listeners (delivered at commit). */
export async function insertEvent(tx: Db, type: string, payload: Record<string, unknown>): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    'INSERT INTO domain_events (type, payload) VALUES ($1, $2::jsonb) RETURNING id::int AS id',
    [type, JSON.stringify(payload)],
  );
  const id = rows[0]!.id;
  await tx.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, String(id)]);
  return id;
}

export async function lastEventId(db: Db): Promise<number> {
  const rows = await db.query<{ id: number | null }>('SELECT max(id)::int AS id FROM domain_events');
  return rows[0]?.id ?? 0;
}

export async function eventsAfter(db: Db, afterId: number, types: readonly string[], limit = 500): Promise<EventRow[]> {
  return db.query<EventRow>(
    `SELECT ${COLUMNS} FROM domain_events WHERE id > $1 AND type = ANY($2::text[]) ORDER BY id LIMIT $3`,
    [afterId, types, limit],
  );
}

/**
 * Lock the cursor of a once-per-platform handler for this transaction, creating it at `startAt` on first use.
 * Null when another instance holds it right now (it is processing the same events).
 */
export async function lockCursor(tx: Db, handler: string, startAt: number): Promise<number | null> {
  await tx.query('INSERT INTO event_cursors (handler, last_id) VALUES ($1, $2) ON CONFLICT (handler) DO NOTHING', [
    handler,
    startAt,
  ]);
  const rows = await tx.query<{ lastId: number }>(
    'SELECT last_id::int AS "lastId" FROM event_cursors WHERE handler = $1 FOR UPDATE SKIP LOCKED',
    [handler],
  );
  return rows[0]?.lastId ?? null;
}

export async function advanceCursor(tx: Db, handler: string, lastId: number): Promise<void> {
  await tx.query('UPDATE event_cursors SET last_id = $2, updated_at = now() WHERE handler = $1', [handler, lastId]);
}

/** Events older than `before` that every cursor has passed (kept a while for inspection, then removed). */
export async function pruneEvents(db: Db, before: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `DELETE FROM domain_events WHERE created_at < $1
       AND id <= coalesce((SELECT min(last_id) FROM event_cursors), 0) RETURNING id`,
    [before],
  );
  return rows.length;
}
