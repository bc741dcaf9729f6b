import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  /** The folder it came from (its module's `migrations/`). */
  dir: string;
  sql: string;
}

/**
 * The migrations of all given folders (every module keeps its own in `src/<module>/migrations/`), ordered by
 * their platform-wide number. Two files with the same number are an error: numbers are global because
 * later modules reference earlier ones' tables.
 */
export function readMigrations(dirs: readonly string[]): Migration[] {
  const all: Migration[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      if (!/^\d{4}_[a-z0-9_]+\.sql$/.test(f)) continue;
      all.push({
        version: Number(f.slice(0, 4)),
        name: f.slice(5, -4),
        dir,
        sql: fs.readFileSync(path.join(dir, f), 'utf8'),
      });
    }
  }
  all.sort((a, b) => a.version - b.version);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.version === all[i - 1]!.version) {
      throw new Error(
        `Two migrations have the number ${all[i]!.version}: ${path.join(all[i - 1]!.dir, all[i - 1]!.name)} and ${path.join(all[i]!.dir, all[i]!.name)}`,
      );
    }
  }
  return all;
}

/**
 * Apply all migrations not yet recorded, each in its own transaction, in order.
 * Forward-only; an advisory lock keeps two servers on one PostgreSQL from racing.
 * Returns the versions applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727272)');
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}
