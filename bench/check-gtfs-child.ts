/**
 * One measured run of `bench/check-gtfs.ts`, in its own process so that its peak RSS is its own:
 * `node --import tsx bench/check-gtfs-child.ts <validate|baseline> <feed.zip>` prints one JSON line.
 * Imports only what the mode needs (no database code).
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { unzipSync } from 'fflate';

async function baseline(bytes: Uint8Array): Promise<Record<string, number>> {
  // Only unzip and parse: every entry inflated, every table through csv-parse with the validator's options.
  const rows: Record<string, number> = {};
  const names: string[] = [];
  unzipSync(bytes, {
    filter: (f) => {
      names.push(f.name);
      return false;
    },
  });
  for (const name of names) {
    const data = unzipSync(bytes, { filter: (f) => f.name === name })[name] as Uint8Array;
    let n = 0;
    const parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: () => {
        n++;
        return null;
      },
    });
    const done = new Promise<void>((resolve, reject) => {
      parser.on('error', reject);
      parser.on('end', resolve);
      parser.resume();
    });
    for (let i = 0; i < data.length; i += 1 << 20) parser.write(data.subarray(i, Math.min(data.length, i + (1 << 20))));
    parser.end();
    await done;
    rows[name] = n - 1;
  }
  return rows;
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  const bytes = new Uint8Array(fs.readFileSync(file as string));
  const validator = mode === 'baseline' ? null : await import('../src/market/conformance/gtfs/index.js');
  const t0 = performance.now();
  let detail: unknown;
  if (!validator) detail = await baseline(bytes);
  else {
    const { checkGtfs } = validator;
    const r = await checkGtfs(
      { kind: 'bytes', name: 'bench.zip', bytes },
      { fetch: async () => Promise.reject(new Error('no fetch')) },
    );
    detail = { verdict: r.verdict, findings: r.findings.length, stopTimes: r.stats?.['rows.stop_times.txt'] };
  }
  const ms = performance.now() - t0;
  // maxRSS is in kilobytes
  console.log(JSON.stringify({ mode, ms, peakRssMb: process.resourceUsage().maxRSS / 1024, detail }));
}

void main();
