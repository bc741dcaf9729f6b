/**
 * `check-gtfs` — the gtfs conformance validator on a generated feed of 100,000 stop times (issue 11 closing note),
 * next to the floor: only unzipping and parsing the same ZIP with the same CSV parser. Each run is a fresh child
 * process (bench/check-gtfs-child.ts), so wall time includes no start-up and peak RSS is per mode.
 * BENCH_RUNS (default 3) runs each, alternating; median time, highest peak RSS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { median, printEnvironment, printTable, ROOT, round, tempDir, writeResult } from './common.js';

const STOP_TIMES = 100_000;
const STOPS_PER_TRIP = 20;

/** A plausible city feed: 1,000 stops, 50 routes, 5,000 trips of 20 stops, shapes, two services. */
export function generateFeed(stopTimes = STOP_TIMES): Uint8Array {
  const trips = Math.ceil(stopTimes / STOPS_PER_TRIP);
  const stops = ['stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station'];
  for (let i = 0; i < 1000; i++)
    stops.push(`S${i},Haltestelle ${i},${(52 + i / 10000).toFixed(6)},${(13 + i / 10000).toFixed(6)},,`);
  const routes = ['route_id,agency_id,route_short_name,route_long_name,route_type,route_color'];
  for (let r = 0; r < 50; r++) routes.push(`R${r},A,${r + 1},Linie ${r + 1},3,0039A6`);
  const shapes = ['shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled'];
  for (let r = 0; r < 50; r++) {
    for (let p = 0; p < STOPS_PER_TRIP; p++)
      shapes.push(`SH${r},${(52 + p / 1000).toFixed(6)},${(13 + r / 1000).toFixed(6)},${p + 1},${p * 400}`);
  }
  const tripRows = ['route_id,service_id,trip_id,trip_headsign,direction_id,shape_id'];
  const st = [
    'trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type,shape_dist_traveled,timepoint',
  ];
  const hms = (s: number) =>
    `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  let n = 0;
  for (let t = 0; t < trips && n < stopTimes; t++) {
    const r = t % 50;
    tripRows.push(`R${r},${t % 3 === 0 ? 'WE' : 'WT'},T${t},Endhaltestelle ${r},${t % 2},SH${r}`);
    const start = 4 * 3600 + (t % 250) * 300; // some trips run past midnight (hours ≥ 24)
    for (let s = 0; s < STOPS_PER_TRIP && n < stopTimes; s++, n++) {
      const time = start + s * 120;
      st.push(`T${t},${hms(time)},${hms(time + 30)},S${(r * 17 + s) % 1000},${s + 1},0,0,${s * 400},1`);
    }
  }
  const files: Record<string, string> = {
    'agency.txt':
      'agency_id,agency_name,agency_url,agency_timezone,agency_lang\nA,Verkehrsbetrieb Bench,https://bench.example/,Europe/Berlin,de\n',
    'stops.txt': `${stops.join('\n')}\n`,
    'routes.txt': `${routes.join('\n')}\n`,
    'trips.txt': `${tripRows.join('\n')}\n`,
    'stop_times.txt': `${st.join('\n')}\n`,
    'shapes.txt': `${shapes.join('\n')}\n`,
    'calendar.txt':
      'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWT,1,1,1,1,1,0,0,20250101,20251231\nWE,0,0,0,0,0,1,1,20250101,20251231\n',
    'calendar_dates.txt': 'service_id,date,exception_type\nWT,20251225,2\nWE,20251225,1\n',
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}

interface ChildResult {
  mode: string;
  ms: number;
  peakRssMb: number;
  detail: unknown;
}

function runChild(mode: 'validate' | 'baseline', file: string): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench/check-gtfs-child.ts'), mode, file],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as ChildResult;
}

export async function runCheckGtfsBench(): Promise<void> {
  printEnvironment('check-gtfs: GTFS validator, 100,000 stop times');
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const tmp = tempDir('gtfs');
  try {
    const zip = generateFeed();
    const file = path.join(tmp.dir, 'feed.zip');
    fs.writeFileSync(file, zip);
    console.log(`  feed: ${STOP_TIMES} stop times, ZIP ${round(zip.length / 2 ** 20, 2)} MB`);
    const results: Record<'validate' | 'baseline', ChildResult[]> = { validate: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
      for (const mode of ['baseline', 'validate'] as const) results[mode].push(runChild(mode, file));
    }
    const v = results.validate[0]?.detail as { verdict: string; findings: number; stopTimes: number };
    if (v.verdict !== 'conformant' || v.stopTimes !== STOP_TIMES) {
      throw new Error(`the generated feed should be conformant with ${STOP_TIMES} stop times: ${JSON.stringify(v)}`);
    }
    const row = (label: string, rs: ChildResult[]) => ({
      what: label,
      'median ms': round(median(rs.map((r) => r.ms)), 1),
      'min ms': round(Math.min(...rs.map((r) => r.ms)), 1),
      'peak RSS MB': round(Math.max(...rs.map((r) => r.peakRssMb)), 1),
      'µs / stop time': round((median(rs.map((r) => r.ms)) * 1000) / STOP_TIMES, 2),
    });
    const rows = [
      row('baseline: unzip + csv-parse', results.baseline),
      row('gtfs validator (checkGtfs)', results.validate),
    ];
    printTable(`Runs: ${runs} each, fresh process per run (time excludes process start and module load)`, rows);
    const factor = median(results.validate.map((r) => r.ms)) / median(results.baseline.map((r) => r.ms));
    console.log(`  validator / baseline: ${round(factor, 2)}×`);
    writeResult('check-gtfs', { stopTimes: STOP_TIMES, zipBytes: zip.length, runs, rows, results });
  } finally {
    tmp.remove();
  }
}
