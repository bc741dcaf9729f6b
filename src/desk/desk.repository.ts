import type { Db } from '../platform/db/db.js';

/** The mail address of an account (the stand-in notifier's only read). */
export async function emailOf(db: Db, userId: number): Promise<string | null> {
  const [u] = await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
  return u?.email ?? null;
}
