/**
 * The `lotse` command. Platform commands (serve, migrate, help) are here; every other command is declared by
 * its module (`Module.cli`) and found by its words, e.g. "import gv100ad" (register) or "seed demo"
 * (assessment).
 */
import { buildModuleDeps } from './app.js';
import { createI18n, MODULES, migrateAll } from './modules.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/db.js';
import { AppError, ImportError, UsageError } from './platform/errors.js';
import type { CliCommand, Module } from './platform/module.js';
import { startServer } from './server.js';

export function usage(modules: readonly Module[] = MODULES): string {
  const lines = [
    'Usage: lotse <command>',
    '',
    '  serve                              start the web server (PORT, DATA_DIR, DATABASE_URL …)',
    '  migrate                            create or update the database schema',
  ];
  for (const m of modules) {
    for (const c of m.cli ?? []) {
      lines.push(`  ${c.usage}`);
      lines.push(`${' '.repeat(37)}${c.summary}`);
    }
  }
  lines.push('  help                               show this text', '');
  lines.push('Configuration comes from the environment, as for the server (see README).');
  return lines.join('\n');
}

/** The module command whose words start `argv` (the longest match), and the remaining arguments. */
export function findCommand(argv: string[], modules: readonly Module[] = MODULES): [CliCommand, string[]] | null {
  let best: [CliCommand, string[]] | null = null;
  for (const m of modules) {
    for (const c of m.cli ?? []) {
      const words = c.name.split(' ');
      if (words.every((w, i) => argv[i] === w) && (!best || words.length > best[0].name.split(' ').length)) {
        best = [c, argv.slice(words.length)];
      }
    }
  }
  return best;
}

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  const config = loadConfig();
  if (command === 'serve') {
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
    // The one line a person starting the platform by hand looks for (the JSON log says the same as "ready").
    console.log(
      `Kommunallotse läuft auf ${config.publicUrl}` +
        (config.baseUrl ? ` (lauscht auf ${config.host}:${config.port})` : '') +
        ' – beenden mit Strg+C',
    );
    return -1; // keep running
  }
  if (command === 'migrate') {
    const db = await openDatabase(config);
    try {
      const applied = await migrateAll(db);
      console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await db.close();
    }
    return 0;
  }
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(usage());
    return command ? 0 : 2;
  }
  const found = findCommand(argv);
  if (!found) {
    const known = MODULES.flatMap((m) => m.cli ?? []).find((c) => c.name.split(' ')[0] === command);
    throw new UsageError(known ? `usage: lotse ${known.usage}` : `unknown command "${command}" – see "lotse help"`);
  }
  const [cmd, rest] = found;
  // A command without the database (e.g. `lotse check`) opens, migrates and creates nothing.
  if (cmd.needsDatabase === false) return cmd.run(rest, { config });
  const db = await openDatabase(config);
  try {
    await migrateAll(db);
    const deps = buildModuleDeps({ config, db });
    for (const m of MODULES) await m.init?.(deps);
    const code = await cmd.run(rest, deps);
    // What the command changed reaches the modules that react to it (e.g. the Lagebild release).
    await deps.events.drain();
    await deps.tasks.idle();
    return code;
  } finally {
    await db.close();
  }
}

export async function run(argv = process.argv.slice(2)) {
  try {
    const code = await main(argv);
    if (code >= 0) process.exit(code);
  } catch (err) {
    const message =
      err instanceof ImportError
        ? err.describe()
        : err instanceof AppError
          ? describeAppError(err)
          : err instanceof ConfigError || err instanceof UsageError
            ? err.message
            : err instanceof Error
              ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`
              : String(err);
    console.error(`lotse: ${message.split('\n')[0]}`);
    process.exit(1);
  }
}

/** An application error as one German sentence for the command line. */
function describeAppError(err: AppError): string {
  const i18n = createI18n();
  const parts = [
    ...(err.detail ? [i18n.text('de', err.detail)] : []),
    ...err.fieldErrors.map((f) => i18n.text('de', f.text)),
  ];
  return parts.length ? parts.join(' ') : i18n.translator('de')(err.titleKey);
}
