/**
 * Startup benchmark: `npm start` on an existing data directory / database with the 2025 register, from
 * spawn until GET /health answers 200, next to baselines measured in the same run (Node itself, npm
 * running an empty script, the CLI's module graph, a bare PGlite open of the same directory).
 * See bench/README.md.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  type Backend,
  backends,
  createPgDatabase,
  freePort,
  LOTSE_BIN,
  median,
  ms,
  prepareRegister,
  printEnvironment,
  printTable,
  ROOT,
  round,
  type ServerEnv,
  serverEnv,
  skipNote,
  tempDir,
  time,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const POLL_MS = 20;
const TARGET_MS = 2000;

/** How to run npm: the npm that runs this benchmark (`npm run bench`), else the one on the PATH. */
const NPM = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

interface StartTimes {
  firstResponseMs: number;
  readyMs: number;
}

type Starter = 'npm start' | 'node bin/lotse.js serve';

/** Start the server as `npm start` does (or without npm). */
function spawnStart(how: Starter, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const [cmd, ...args] = how === 'npm start' ? [...NPM, 'start'] : [process.execPath, LOTSE_BIN, 'serve'];
  // Not detached: a new session would also get its own scheduling group, unlike the baselines.
  const child = spawn(cmd!, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  child.once('exit', (code) => {
    if (code) console.error(`  ${how} (pid ${child.pid}) exited with ${code}: ${stderr.trim()}`);
  });
  return child;
}

/** The PIDs of all descendants of `pid` (npm → shell → node), from /proc (Linux) or `ps` elsewhere. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  if (fs.existsSync('/proc/self/stat')) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* exited meanwhile */
      }
    }
  } else {
    const out = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
    for (const line of out.trim().split('\n')) {
      const [p, pp] = line.trim().split(/\s+/).map(Number);
      if (p && pp) parents.set(p, pp);
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [p, pp] of parents) {
      if (pp === parent) {
        found.push(p);
        walk(p);
      }
    }
  };
  walk(pid);
  return found;
}

/** SIGTERM to npm, its shell and the server, then wait until the server let go of the data dir. */
async function stopStart(child: ChildProcess, target: ServerEnv): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const pids = [child.pid!, ...descendants(child.pid!)];
    const kill = (signal: NodeJS.Signals) => {
      for (const pid of pids.toReversed()) {
        try {
          process.kill(pid, signal);
        } catch {
          /* gone */
        }
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (target.dataDir) {
    const lock = path.join(target.dataDir, 'lotse.lock');
    for (let i = 0; i < 500 && fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 20));
  }
}

async function startOnce(how: Starter, target: ServerEnv): Promise<StartTimes> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnStart(how, ROOT, serverEnv(port, target));
  try {
    return await waitForHealth(port, t0, child, { intervalMs: POLL_MS });
  } finally {
    await stopStart(child, target);
  }
}

function runToExit(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: serverEnv(0, {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`)),
    );
  });
}

/** A directory whose package.json has an empty start script: what npm itself adds to `npm start`. */
function emptyNpmProject(): { dir: string; remove(): void } {
  const tmp = tempDir('npm');
  fs.writeFileSync(
    path.join(tmp.dir, 'package.json'),
    JSON.stringify({ name: 'empty', private: true, scripts: { start: 'node -e ""' } }),
  );
  return tmp;
}

/** A bare PGlite open of `pgdata` in a fresh plain Node process (no lock, no app); prints its own times. */
const BARE_PGLITE = `
  const t0 = performance.now();
  const { PGlite } = await import('@electric-sql/pglite');
  const t1 = performance.now();
  const db = await PGlite.create(process.argv[1]);
  const t2 = performance.now();
  await db.query('SELECT 1');
  await db.close();
  console.log(JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1 }));`;

interface OpenTimes {
  openMs: number;
  migrateMs: number;
  embeddedDefaultMs: number;
}

/** In a fresh process (bench/startup-open.ts, through tsx): the database steps of a start, one by one. */
async function openOnce(target: ServerEnv): Promise<OpenTimes> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'startup-open.ts')], {
    cwd: ROOT,
    env: serverEnv(0, target),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`startup-open exited with ${code}: ${err}`);
  return JSON.parse(out.trim()) as OpenTimes;
}

export async function runStartupBench(): Promise<void> {
  const loadAtStart = printEnvironment(`Startup benchmark: median of ${RUNS}, /health polled every ${POLL_MS} ms`);
  // bin/lotse.js refuses a bundle that does not match the sources: say so now, not as a failed start.
  const probe = spawnSync(process.execPath, [LOTSE_BIN, 'help'], { cwd: ROOT, encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`bin/lotse.js cannot start: ${probe.stderr.trim()}`);

  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  const addStarts = (backend: Backend, measure: string, runs: StartTimes[], target?: number) => {
    const ready = median(runs.map((r) => r.readyMs));
    const listening = median(runs.map((r) => r.firstResponseMs));
    rows.push({
      backend,
      measure,
      'until listening': ms(listening),
      'until /health 200 (or exit)': ms(ready),
      runs: runs.map((r) => round(r.readyMs, 0)).join(' / '),
      target: target ? `≤ ${target} ms` : '',
      result: target ? verdict(ready, target) : '',
    });
    results.push({
      backend,
      measure,
      medianListeningMs: round(listening, 1),
      medianReadyMs: round(ready, 1),
      runs: runs.map((r) => ({ listeningMs: round(r.firstResponseMs, 1), readyMs: round(r.readyMs, 1) })),
      targetMs: target ?? null,
    });
  };
  const addTimes = (backend: Backend | '–', measure: string, values: number[], suffix = '') => {
    rows.push({
      backend,
      measure,
      'until listening': '',
      'until /health 200 (or exit)': `${ms(median(values))}${suffix}`,
      runs: values.map((h) => round(h, 0)).join(' / '),
    });
    results.push({ backend, measure, medianMs: round(median(values), 1), runsMs: values.map((h) => round(h, 1)) });
  };
  /** One untimed run (file cache, lazily compiled code), then RUNS timed ones. */
  const timedExits = async (run: () => Promise<unknown>) => {
    await run();
    const values: number[] = [];
    for (let i = 0; i < RUNS; i++) values.push((await time(run)).ms);
    return values;
  };

  // Warm the client side (fetch), so that the first timed run is not penalised.
  await fetch('http://127.0.0.1:1/').catch(() => {});
  const npmProject = emptyNpmProject();
  try {
    addTimes(
      '–',
      'node -e "" (Node itself)',
      await timedExits(() => runToExit(process.execPath, ['-e', ''])),
      ' (exit)',
    );
    addTimes(
      '–',
      'npm start of an empty script (npm + shell + Node)',
      await timedExits(() => runToExit(NPM[0]!, [...NPM.slice(1), 'start'], npmProject.dir)),
      ' (exit)',
    );
  } finally {
    npmProject.remove();
  }
  addTimes(
    '–',
    'lotse help (Node + bundle check + whole module graph, no server)',
    await timedExits(() => runToExit(process.execPath, [LOTSE_BIN, 'help'])),
    ' (exit)',
  );

  for (const kind of backends()) {
    // First start, once: empty data directory / empty database (create, migrate, embedded default).
    console.log(`  ${kind}: first start on an empty ${kind === 'pglite' ? 'data directory' : 'database'} …`);
    if (kind === 'pglite') {
      const tmp = tempDir('first');
      try {
        addStarts(kind, 'npm start, first start (empty data dir; for information)', [
          await startOnce('npm start', { dataDir: tmp.dir }),
        ]);
      } finally {
        tmp.remove();
      }
    } else {
      const created = await createPgDatabase();
      try {
        addStarts(kind, 'npm start, first start (empty database; for information)', [
          await startOnce('npm start', { databaseUrl: created.url }),
        ]);
      } finally {
        await created.drop();
      }
    }

    console.log(`  ${kind}: preparing the register (2025 release) …`);
    const prepared = await prepareRegister(kind);
    try {
      const where = kind === 'pglite' ? 'data dir' : 'database';
      if (kind === 'pglite') {
        // The floor of the database part: PGlite alone opening the same directory in a fresh process.
        const pgdata = path.join(prepared.target.dataDir!, 'pglite');
        const bare: { importMs: number; createMs: number }[] = [];
        const exits = await timedExits(async () => {
          const out = await runToExit(process.execPath, ['--input-type=module', '-e', BARE_PGLITE, pgdata]);
          bare.push(JSON.parse(out.trim()));
        });
        bare.shift(); // the untimed run
        addTimes(kind, `bare PGlite open of the same ${where} (fresh process, spawn → exit)`, exits, ' (exit)');
        addTimes(
          kind,
          '  of which PGlite.create()',
          bare.map((b) => b.createMs),
        );
      }
      // `npm start` and `node bin/lotse.js serve` alternate, so that a change in machine load hits both.
      const npmRuns: StartTimes[] = [];
      const nodeRuns: StartTimes[] = [];
      await startOnce('npm start', prepared.target); // untimed: file cache
      for (let i = 0; i < RUNS; i++) {
        npmRuns.push(await startOnce('npm start', prepared.target));
        nodeRuns.push(await startOnce('node bin/lotse.js serve', prepared.target));
      }
      addStarts(kind, `npm start on existing ${where} (2025 register)`, npmRuns, TARGET_MS);
      addStarts(kind, `node bin/lotse.js serve on existing ${where} (without npm)`, nodeRuns);

      const opens: OpenTimes[] = [];
      for (let i = 0; i < RUNS; i++) opens.push(await openOnce(prepared.target));
      for (const [key, what] of [
        ['openMs', 'fresh process: openDatabase (lock + PGlite.create / connect)'],
        ['migrateMs', 'fresh process: migrate (no-op)'],
        ['embeddedDefaultMs', 'fresh process: embedded-default check'],
      ] as const) {
        addTimes(
          kind,
          what,
          opens.map((o) => o[key]),
        );
      }
    } finally {
      await prepared.dispose();
    }
  }
  printTable('Startup (spawn → GET /health 200, or → exit)', rows);
  skipNote('startup');
  writeResult('startup', { runs: RUNS, pollMs: POLL_MS, loadAtStart, results });
}
