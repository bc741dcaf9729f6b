/**
 * The oparl validator's throughput and memory (issue 11 closing note): a local OParl 1.1 endpoint of about 2,000
 * objects (the handwritten fixture endpoint plus generated persons, 100 per page) crawled by the validator with
 * politeness 0, next to a plain crawl that only fetches and JSON.parses the same lists (baseline, same run). Each
 * mode runs in its own child process (peak RSS per mode); the server runs in this process. BENCH_OPARL_OBJECTS
 * changes the size, BENCH_RUNS (3) the repetitions (median).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startOparlFixture } from '../src/market/conformance/oparl/__tests__/oparl-fixture-server.js';
import { median, printEnvironment, printTable, ROOT, round, writeResult } from './common.js';

const OBJECTS = Number(process.env.BENCH_OPARL_OBJECTS ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Run {
  mode: string;
  ms: number;
  maxRssMb: number;
  objects: number;
  requests: number;
  verdict?: string;
}

export async function runCheckOparlBench(): Promise<void> {
  const load = printEnvironment(`check-oparl: OParl endpoint of ~${OBJECTS} objects, served locally`);
  // The fixture holds 12 listed objects besides the persons.
  const server = await startOparlFixture({ persons: Math.max(1, OBJECTS - 12), pageSize: 100 });
  const child = path.join(ROOT, 'bench', 'check-oparl-child.ts');
  const runs: Run[] = [];
  try {
    for (let i = 0; i < RUNS; i++)
      for (const mode of ['crawl', 'validate']) {
        const out = await new Promise<string>((resolve, reject) => {
          // Asynchronous, so the server in this process keeps answering.
          execFile(
            process.execPath,
            ['--import', 'tsx', child, mode, server.url('/oparl')],
            { cwd: ROOT },
            (err, stdout) => (err ? reject(err) : resolve(stdout)),
          );
        });
        runs.push(JSON.parse(out.trim().split('\n').pop()!) as Run);
      }
  } finally {
    await server.close();
  }
  const rows = ['crawl', 'validate'].map((mode) => {
    const rs = runs.filter((r) => r.mode === mode);
    const ms = median(rs.map((r) => r.ms));
    const objects = rs[0]!.objects;
    return {
      mode: mode === 'crawl' ? 'plain crawl (fetch + JSON.parse)' : 'oparl validator',
      objects,
      requests: rs[0]!.requests,
      'median ms': round(ms, 0),
      'objects/s': round((objects / ms) * 1000, 0),
      'peak RSS MB': round(median(rs.map((r) => r.maxRssMb)), 0),
      verdict: rs[0]!.verdict ?? '–',
    };
  });
  printTable(`median of ${RUNS} runs, politeness 0`, rows);
  writeResult('check-oparl', { objects: OBJECTS, runs: RUNS, loadAverageAtStart: load, rows, raw: runs });
}
