import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Db, openPglite } from '../db/db.js';
import { migrate, pendingMigrations, readMigrations } from '../db/migrate.js';

let db: Db;
before(async () => {
  db = await openPglite(null);
});
after(() => db.close());

test('migrate applies what is pending, and nothing on a database that is up to date', async () => {
  const all = readMigrations();
  assert.deepEqual(
    await migrate(db),
    all.map((m) => m.version),
  );
  assert.deepEqual(await migrate(db), [], 'up to date: nothing applied');
  assert.deepEqual(await pendingMigrations(db), []);

  const extra = { version: 9999, name: 'extra', sql: 'CREATE TABLE migrate_extra (id int PRIMARY KEY)' };
  assert.deepEqual(await migrate(db, [...all, extra]), [9999], 'a new migration is still applied');
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM migrate_extra'), [{ n: 0 }]);
  assert.deepEqual(await migrate(db, [...all, extra]), []);
});
