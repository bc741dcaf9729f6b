import type { Db } from '../db/db.js';

export interface WindowState {
  key: string;
  count: number;
  resetAt: Date;
}

/**
 * Count `by` attempts for each key in its fixed window (opened at `now` for `windowMs` when none is open) in one
 * statement, and return the windows' totals across all instances.
 */
export async function hitWindows(
  db: Db,
  hits: readonly { key: string; by: number; windowMs: number }[],
  now: Date,
): Promise<WindowState[]> {
  if (hits.length === 0) return [];
  return db.query<WindowState>(
    `INSERT INTO rate_limit_windows AS w (key, count, reset_at)
     SELECT h.key, h.by, $2::timestamptz + h.window_ms * interval '1 millisecond'
     FROM jsonb_to_recordset($1::jsonb) AS h(key text, by integer, window_ms integer)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN w.reset_at <= $2::timestamptz THEN EXCLUDED.count ELSE w.count + EXCLUDED.count END,
       reset_at = CASE WHEN w.reset_at <= $2::timestamptz THEN EXCLUDED.reset_at ELSE w.reset_at END
     RETURNING w.key, w.count, w.reset_at AS "resetAt"`,
    [JSON.stringify(hits.map((h) => ({ key: h.key, by: h.by, window_ms: h.windowMs }))), now],
  );
}

export async function resetWindows(db: Db, keys: readonly string[]): Promise<void> {
  await db.query('DELETE FROM rate_limit_windows WHERE key = ANY($1::text[])', [keys]);
}

export async function readWindows(db: Db, keys: readonly string[], now: Date): Promise<WindowState[]> {
  return db.query<WindowState>(
    `SELECT key, count, reset_at AS "resetAt" FROM rate_limit_windows WHERE key = ANY($1::text[]) AND reset_at > $2`,
    [keys, now],
  );
}

export async function pruneWindows(db: Db, now: Date): Promise<number> {
  const rows = await db.query<{ key: string }>('DELETE FROM rate_limit_windows WHERE reset_at <= $1 RETURNING key', [
    now,
  ]);
  return rows.length;
}
