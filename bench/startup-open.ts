/**
 * Child process of the startup benchmark: in a fresh Node process (as in a real start), time the database
 * steps the server takes after it has started listening — open (lock + PGlite.create, or connect), migrate
 * (a no-op on an existing database) and the embedded-default check — one by one. Module loading is not
 * timed here: this runs through tsx, the server from the bundle. Prints one JSON line.
 */
const { openDatabase } = await import('../src/platform/db/db.js');
const { migrateAll } = await import('../src/modules.js');
const { ensureEmbeddedDefault } = await import('../src/register/register.service.js');
const { loadConfig } = await import('../src/platform/config.js');
// The driver is loaded on demand by openDatabase; load it here, so that "open" is the open alone and not
// the module loading through tsx (which the bundled server does not pay).
await import(process.env.DATABASE_URL ? 'pg' : '@electric-sql/pglite');
const t0 = performance.now();
const db = await openDatabase(loadConfig());
const t1 = performance.now();
await migrateAll(db);
const t2 = performance.now();
await ensureEmbeddedDefault(db);
const t3 = performance.now();
await db.close();
console.log(JSON.stringify({ openMs: t1 - t0, migrateMs: t2 - t1, embeddedDefaultMs: t3 - t2 }));
