/**
 * Child process of the startup benchmark: in a fresh Node process (as in a real start), time loading
 * the database modules and opening the database (open + migrate + embedded-default check) as the
 * server does after it listens. Prints one JSON line.
 */
const t0 = performance.now();
const { openDatabase } = await import('../src/platform/db/db.js');
const { migrateAll } = await import('../src/modules.js');
const { ensureEmbeddedDefault } = await import('../src/register/register.service.js');
const { loadConfig } = await import('../src/platform/config.js');
const t1 = performance.now();
const db = await openDatabase(loadConfig());
const t2 = performance.now();
await migrateAll(db);
await ensureEmbeddedDefault(db);
const t3 = performance.now();
await db.close();
console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, migrateAndDefaultMs: t3 - t2 }));
