/**
 * Startup benchmark: `node bin/lotse.js serve` (what `npm start` runs, without npm) on an existing
 * data directory / database with the 2025 register, from spawn until GET /health answers 200.
 * See bench/README.md.
 */
import { spawn } from 'node:child_process';
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
  spawnServer,
  stopServer,
  tempDir,
  time,
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const POLL_MS = 20;
const TARGET_MS = 2000;

interface StartTimes {
  firstResponseMs: number;
  readyMs: number;
}

async function startOnce(target: ServerEnv): Promise<StartTimes> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnServer(port, target);
  try {
    return await waitForHealth(port, t0, child, { intervalMs: POLL_MS });
  } finally {
    await stopServer(child);
  }
}

function runNode(args: string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: serverEnv(0, {}), stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Fixed costs inside every start: Node itself, the tsx loader, and the module graph of the CLI. */
const BASELINES: { measure: string; args: string[] }[] = [
  { measure: 'node -e "" (Node itself)', args: ['-e', ''] },
  { measure: 'node --import tsx -e "" (+ tsx loader)', args: ['--import', 'tsx', '-e', ''] },
  { measure: 'lotse help (+ whole module graph, no server)', args: [LOTSE_BIN, 'help'] },
];

interface OpenTimes {
  importMs: number;
  openMs: number;
  migrateAndDefaultMs: number;
}

/** In a fresh process (bench/startup-open.ts): load the db modules, open, migrate (no-op), embedded-default check. */
function openOnce(target: ServerEnv): Promise<OpenTimes> {
  return new Promise((resolve, reject) => {
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
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as OpenTimes)
        : reject(new Error(`startup-open exited with ${code}: ${err}`)),
    );
  });
}

export async function runStartupBench(): Promise<void> {
  const loadAtStart = printEnvironment(`Startup benchmark: median of ${RUNS}, /health polled every ${POLL_MS} ms`);
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  const add = (backend: Backend | '–', measure: string, runs: StartTimes[], target?: number) => {
    const ready = median(runs.map((r) => r.readyMs));
    const listening = median(runs.map((r) => r.firstResponseMs));
    rows.push({
      backend,
      measure,
      'until listening': ms(listening),
      'until /health 200': ms(ready),
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

  // Warm the client side (fetch) and the OS file cache, so that the first timed run is not penalised.
  await fetch('http://127.0.0.1:1/').catch(() => {});
  for (const b of BASELINES) {
    await runNode(b.args);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push((await time(() => runNode(b.args))).ms);
    rows.push({
      backend: '–',
      measure: b.measure,
      'until listening': '',
      'until /health 200': `${ms(median(runs))} (exit)`,
      runs: runs.map((h) => round(h, 0)).join(' / '),
    });
    results.push({
      backend: '–',
      measure: b.measure,
      medianMs: round(median(runs), 1),
      runsMs: runs.map((h) => round(h, 1)),
    });
  }

  for (const kind of backends()) {
    // First start, once: empty data directory / empty database (create, migrate, embedded default).
    console.log(`  ${kind}: first start on an empty ${kind === 'pglite' ? 'data directory' : 'database'} …`);
    if (kind === 'pglite') {
      const tmp = tempDir('first');
      try {
        add(kind, 'first start (empty data dir; for information)', [await startOnce({ dataDir: tmp.dir })]);
      } finally {
        tmp.remove();
      }
    } else {
      const created = await createPgDatabase();
      try {
        add(kind, 'first start (empty database; for information)', [await startOnce({ databaseUrl: created.url })]);
      } finally {
        await created.drop();
      }
    }

    console.log(`  ${kind}: preparing the register (2025 release) …`);
    const prepared = await prepareRegister(kind);
    try {
      const runs: StartTimes[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await startOnce(prepared.target));
      add(kind, `start on existing ${kind === 'pglite' ? 'data dir' : 'database'} (2025 register)`, runs, TARGET_MS);
      const opens: OpenTimes[] = [];
      for (let i = 0; i < RUNS; i++) opens.push(await openOnce(prepared.target));
      for (const [key, what] of [
        ['importMs', 'fresh process: import db + register modules (tsx)'],
        ['openMs', 'fresh process: open database'],
        ['migrateAndDefaultMs', 'fresh process: migrate (no-op) + embedded-default check'],
      ] as const) {
        const values = opens.map((o) => o[key]);
        rows.push({
          backend: kind,
          measure: what,
          'until listening': '',
          'until /health 200': ms(median(values)),
          runs: values.map((h) => round(h, 0)).join(' / '),
        });
        results.push({
          backend: kind,
          measure: what,
          medianMs: round(median(values), 1),
          runsMs: values.map((h) => round(h, 1)),
        });
      }
    } finally {
      await prepared.dispose();
    }
  }
  printTable('Startup (spawn → GET /health)', rows);
  skipNote('startup');
  writeResult('startup', { runs: RUNS, pollMs: POLL_MS, loadAtStart, results });
}
