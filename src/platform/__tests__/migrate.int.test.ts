import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { allMigrations } from '../../modules.js';
import { type Db, openPglite } from '../db/db.js';
import { migrate, readMigrations } from '../db/migrate.js';

let db: Db;
before(async () => {
  db = await openPglite(null);
});
after(() => db.close());

test('migrate applies what is pending, and nothing on a database that is up to date', async () => {
  const all = allMigrations();
  assert.deepEqual(
    await migrate(db, all),
    all.map((m) => m.version),
  );
  assert.deepEqual(await migrate(db, all), [], 'up to date: nothing applied');

  const extra = { version: 9999, name: 'extra', dir: '', sql: 'CREATE TABLE migrate_extra (id int PRIMARY KEY)' };
  assert.deepEqual(await migrate(db, [...all, extra]), [9999], 'a new migration is still applied');
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM migrate_extra'), [{ n: 0 }]);
  assert.deepEqual(await migrate(db, [...all, extra]), []);
});

test('the migrations of all module folders in one order; two with the same number are refused', () => {
  const all = allMigrations();
  const versions = all.map((m) => m.version);
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => a - b),
  );
  assert.ok(new Set(all.map((m) => path.basename(m.dir))).size === 1, 'all in folders named migrations');
  assert.ok(new Set(all.map((m) => m.dir)).size >= 5, 'from several modules');
  const a = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-mig-a-'));
  const b = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-mig-b-'));
  try {
    fs.writeFileSync(path.join(a, '0042_one.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(b, '0042_two.sql'), 'SELECT 2;');
    assert.throws(() => readMigrations([a, b]), /Two migrations have the number 42/);
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});
