import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openPglite, openPostgres } from '../../src/platform/db/db.js';
import { migrate } from '../../src/platform/db/migrate.js';

export interface TestDb {
  name: 'pglite' | 'postgres';
  db: Db;
  /** Drop everything this test database holds. */
  dispose(): Promise<void>;
}

export const IS_CI = process.env.CI === 'true';

/** The database kinds the integration suites run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function databaseKinds(): ('pglite' | 'postgres')[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
  if (IS_CI) throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suites must run in CI.');
  return ['pglite'];
}

/** A fresh, migrated database of the given kind (PGlite in memory, or a new database on the PostgreSQL server). */
export async function createTestDb(kind: 'pglite' | 'postgres'): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openPglite(null);
    await migrate(db);
    return { name: kind, db, dispose: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const dbName = `kl_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  const db = await openPostgres(u.toString(), 5);
  await migrate(db);
  return {
    name: kind,
    db,
    async dispose() {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
    },
  };
}
