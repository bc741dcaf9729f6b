import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { removeDemo, seedDemo } from './assessment/demo.js';
import { createUserWithLoginLink } from './identity/identity.service.js';
import { makeAdvisor } from './organisations/organisations.service.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { type Db, openDatabase } from './platform/db/db.js';
import { migrate } from './platform/db/migrate.js';
import { AppError } from './platform/errors.js';
import {
  ensureEmbeddedDefault,
  type ImportReport,
  importBoundaries,
  importGv100ad,
} from './register/register.service.js';
import { startServer } from './server.js';

const USAGE = `Usage: lotse <command>

  serve                              start the web server (PORT, DATA_DIR, DATABASE_URL …)
  migrate                            create or update the database schema
  import gv100ad FILE [--changes LIST]… [--force] [--json]
                                     update the register from a Destatis GV100AD release;
                                     LIST: Destatis Gebietsänderungen or BBSR Umsteigeschlüssel (.xlsx)
  import boundaries FILE             import boundaries (GeoJSON, WGS84, key property ARS or AGS)
  user create --email ADDRESS [--admin] [--advisor [--state LAND]]
                                     create an account (platform admin with --admin, advisor of the
                                     competence centre with --advisor, for one Land with --state) and
                                     print a one-time login link; there is no default password
  seed demo [--remove] [--share S]   create (or remove) clearly marked demo Digitalchecks for a sample of
                                     Gemeinden in every Land (share S, default 0.1), for a living Lagebild
  help                               show this text

Configuration comes from the environment, as for the server (see README).`;

class UsageError extends Error {}

async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    await ensureEmbeddedDefault(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function readInput(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${code}`);
  }
}

export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  if (r.status === 'unchanged') {
    lines.push(`GV100AD ${r.fileName}: Gebietsstand ${r.release} ist bereits eingespielt – nichts geändert.`);
    return lines.join('\n');
  }
  lines.push(
    `GV100AD ${r.fileName}: Gebietsstand ${r.release}` +
      (r.previousRelease ? ` (vorher ${r.previousRelease})` : ' (erster amtlicher Stand)'),
  );
  lines.push(
    `Satzarten: ${Object.entries(r.countsByType)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  const c = r.counts;
  lines.push(
    `Änderungen: ${c.added} neu, ${c.ended} beendet, ${c.renamed} umbenannt, ${c.reparented} umgegliedert, ` +
      `${c.updated} mit neuen Kennzahlen, ${c.unchanged} unverändert (${r.durationMs} ms)`,
  );
  const small = (n: number) => n <= 60;
  if (r.ended.length && small(r.ended.length)) {
    lines.push('Beendet:');
    for (const e of r.ended) {
      const succ = e.successorKey
        ? ` → ${e.successorKey} ${e.successorName ?? ''} (${e.method}${e.inferred ? ', abgeleitet' : ', amtlich'})`
        : ' → kein Nachfolger bestimmbar';
      lines.push(`  ${e.key} ${e.name} [${e.level}]${succ}`);
    }
  }
  if (r.added.length && small(r.added.length)) {
    lines.push('Neu:');
    for (const a of r.added) lines.push(`  ${a.key} ${a.name} [${a.level}]`);
  }
  if (r.renamed.length && small(r.renamed.length)) {
    lines.push('Umbenannt:');
    for (const n of r.renamed) lines.push(`  ${n.key} „${n.from}“ → „${n.to}“`);
  }
  if (r.reparented.length && small(r.reparented.length)) {
    lines.push('Umgegliedert:');
    for (const p of r.reparented) lines.push(`  ${p.key} ${p.name}: ${p.from} → ${p.to}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      const shutdown = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      await server.ready;
      return -1; // keep running
    }
    case 'migrate': {
      const db = await openDatabase(config);
      try {
        const applied = await migrate(db);
        console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          force: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          changes: { type: 'string', multiple: true, default: [] },
        },
      });
      const [kind, file] = positionals;
      if (!file || positionals.length > 2) throw new UsageError('usage: lotse import gv100ad|boundaries FILE');
      if (kind === 'gv100ad') {
        const data = readInput(file);
        const changeLists = (values.changes ?? []).map((f) => ({ fileName: path.basename(f), data: readInput(f) }));
        const report = await withDb(config, (db) =>
          importGv100ad(db, { fileName: path.basename(file), data, force: values.force, changeLists }),
        );
        console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
        return 0;
      }
      if (kind === 'boundaries') {
        const text = Buffer.from(readInput(file)).toString('utf8');
        const r = await withDb(config, (db) => importBoundaries(db, path.basename(file), text));
        if (values.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(
            `Grenzen ${r.fileName}: ${r.imported} Gebiete (${Object.entries(r.byLevel)
              .map(([l, n]) => `${l}: ${n}`)
              .join(', ')}), ${r.sourceVertices} → ${r.storedVertices} Stützpunkte`,
          );
          if (r.unmatched.length) console.log(`Nicht im Register: ${r.unmatched.join(', ')}`);
          for (const w of r.warnings) console.log(`Hinweis: ${w}`);
        }
        return 0;
      }
      throw new UsageError(`unknown import kind "${kind ?? ''}" (gv100ad or boundaries)`);
    }
    case 'user': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          email: { type: 'string' },
          admin: { type: 'boolean', default: false },
          advisor: { type: 'boolean', default: false },
          state: { type: 'string' },
        },
      });
      if (positionals[0] !== 'create' || !values.email) {
        throw new UsageError('usage: lotse user create --email ADDRESS [--admin] [--advisor [--state LAND]]');
      }
      if (values.state && !/^(0[1-9]|1[0-6])$/.test(values.state)) {
        throw new UsageError(`--state must be a Land key 01–16, not "${values.state}"`);
      }
      const email = values.email;
      const result = await withDb(config, async (db) => {
        const r = await createUserWithLoginLink(
          { db, mailer: { send: async () => ({}) }, baseUrl: config.baseUrl ?? `http://localhost:${config.port}` },
          email,
          values.admin ?? false,
        );
        if (values.advisor) await makeAdvisor(db, r.userId, values.state ?? null);
        return r;
      });
      const roles = [
        values.admin ? 'Plattform-Admin' : null,
        values.advisor ? `Beratung${values.state ? ` für Land ${values.state}` : ''}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      console.log(
        `${result.created ? 'Konto angelegt' : 'Konto vorhanden'}: ${email}${roles ? ` (${roles})` : ''}\n` +
          `Einmal-Anmeldelink (24 Stunden gültig, nur einmal verwendbar):\n${result.link}`,
      );
      return 0;
    }
    case 'seed': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { remove: { type: 'boolean', default: false }, share: { type: 'string' } },
      });
      if (positionals[0] !== 'demo') throw new UsageError('usage: lotse seed demo [--remove] [--share 0.1]');
      const share = values.share === undefined ? undefined : Number(values.share);
      if (share !== undefined && !(share > 0 && share <= 1)) throw new UsageError('--share must be a number in (0, 1]');
      if (values.remove) {
        const n = await withDb(config, (db) => removeDemo(db));
        console.log(`Demodaten entfernt: ${n} Digitalchecks.`);
      } else {
        const r = await withDb(config, (db) => seedDemo(db, share === undefined ? {} : { share }));
        console.log(
          `Demodaten angelegt: ${r.checks} Digitalchecks mit ${r.answers} Antworten (als Demo markiert; entfernen mit "lotse seed demo --remove").`,
        );
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${command}" – see "lotse help"`);
  }
}

export async function run(argv = process.argv.slice(2)) {
  try {
    const code = await main(argv);
    if (code >= 0) process.exit(code);
  } catch (err) {
    const message =
      err instanceof AppError || err instanceof ConfigError || err instanceof UsageError
        ? err.message
        : err instanceof Error
          ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`
          : String(err);
    console.error(`lotse: ${message.split('\n')[0]}`);
    process.exit(1);
  }
}
