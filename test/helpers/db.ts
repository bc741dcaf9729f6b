import { migrateAll } from '../../src/modules.js';
import { type Db, openPglite, openPostgres } from '../../src/platform/db/db.js';
import { createPgDatabase } from './pg-database.js';

export interface TestDb {
  name: 'pglite' | 'postgres';
  db: Db;
  /** The database's URL (PostgreSQL only), for a second connection pool (a second instance). */
  url?: string;
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
    await migrateAll(db);
    return { name: kind, db, dispose: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const created = await createPgDatabase(url, 'kl_test');
  const db = await openPostgres(created.url, 5);
  await migrateAll(db);
  return {
    name: kind,
    db,
    url: created.url,
    async dispose() {
      await db.close();
      await created.drop();
    },
  };
}
