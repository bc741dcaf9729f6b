/**
 * The DCAT-AP.de validator on a generated catalogue of 1,000 datasets (Turtle, two distributions each, every tenth
 * dataset with defects), next to only parsing the same bytes with n3 in the same run: time (median of ROUNDS) and
 * peak RSS of each phase. `node --expose-gc --import tsx bench/run.ts check-dcat` (BENCH_DCAT_DATASETS changes the
 * count, BENCH_DCAT_ROUNDS the rounds).
 */
import fs from 'node:fs';
import { Parser, Store } from 'n3';
import { checkDcatBytes } from '../src/market/conformance/dcat/index.js';
import { median, printEnvironment, printTable, round, writeResult } from './common.js';

const DATASETS = Number(process.env.BENCH_DCAT_DATASETS ?? 1000);
const ROUNDS = Number(process.env.BENCH_DCAT_ROUNDS ?? 5);

/** A catalogue as a municipal portal would publish it; every tenth dataset lacks its licence and uses a literal format. */
export function generateCatalogue(n: number): string {
  const out: string[] = [
    '@prefix dcat: <http://www.w3.org/ns/dcat#> .',
    '@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .',
    '@prefix dct: <http://purl.org/dc/terms/> .',
    '@prefix foaf: <http://xmlns.com/foaf/0.1/> .',
    '@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '',
    '<https://daten.bench.example/katalog> a dcat:Catalog ;',
    '  dct:title "Bench-Katalog"@de ; dct:description "Generierter Katalog."@de ;',
    '  dct:publisher <https://bench.example/#stadt> ;',
    `  dcat:dataset ${Array.from({ length: n }, (_, i) => `<https://daten.bench.example/ds/${i}>`).join(' , ')} .`,
    '<https://bench.example/#stadt> a foaf:Organization ; foaf:name "Stadt Bench" .',
  ];
  const themes = ['TRAN', 'ENVI', 'ECON', 'SOCI', 'GOVE', 'REGI'];
  for (let i = 0; i < n; i++) {
    const ds = `<https://daten.bench.example/ds/${i}>`;
    const bad = i % 10 === 9;
    out.push(
      `${ds} a dcat:Dataset ;`,
      `  dct:title "Datensatz ${i}"@de ; dct:description "Beschreibung des Datensatzes Nummer ${i} der Stadt Bench."@de ;`,
      `  dct:identifier "bench-${i}" ; dct:publisher <https://bench.example/#stadt> ;`,
      `  dct:issued "2024-01-${String((i % 28) + 1).padStart(2, '0')}"^^xsd:date ; dct:modified "2025-02-01"^^xsd:date ;`,
      '  dcatde:contributorID <http://dcat-ap.de/def/contributors/openDataBund> ;',
      `  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/${themes[i % themes.length]}> ;`,
      `  dcat:keyword "Bench"@de , "Nummer ${i}"@de ; dcat:landingPage <https://daten.bench.example/seite/${i}> ;`,
      '  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" ; vcard:hasEmail <mailto:daten@bench.example> ] ;',
      `  dcat:distribution <https://daten.bench.example/ds/${i}#csv> , <https://daten.bench.example/ds/${i}#json> .`,
    );
    for (const [fmt, ext] of [
      ['CSV', 'csv'],
      ['JSON', 'json'],
    ] as const) {
      out.push(
        `<https://daten.bench.example/ds/${i}#${ext}> a dcat:Distribution ;`,
        `  dct:title "Datensatz ${i} als ${fmt}"@de ;`,
        bad
          ? `  dct:format "${ext}" ;`
          : `  dct:format <http://publications.europa.eu/resource/authority/file-type/${fmt}> ;`,
        bad ? '' : '  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;',
        `  dcat:accessURL <https://daten.bench.example/files/${i}.${ext}> .`,
      );
    }
  }
  return `${out.filter((l) => l !== '').join('\n')}\n`;
}

function peakRssBytes(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number | null) => (b === null ? '–' : `${round(b / 2 ** 20, 0)} MiB`);

async function phase(name: string, run: () => Promise<unknown>) {
  const times: number[] = [];
  let peak: number | null = null;
  let last: unknown;
  for (let r = 0; r < ROUNDS; r++) {
    gc?.();
    const canReset = resetPeakRss();
    const t0 = performance.now();
    last = await run();
    times.push(performance.now() - t0);
    const p = canReset ? peakRssBytes() : null;
    if (p !== null) peak = Math.max(peak ?? 0, p);
  }
  return { name, medianMs: round(median(times), 0), minMs: round(Math.min(...times), 0), peakRssBytes: peak, last };
}

export async function runCheckDcatBench(): Promise<void> {
  const load = printEnvironment(`check-dcat: DCAT-AP.de validator, ${DATASETS} datasets (Turtle)`);
  const text = generateCatalogue(DATASETS);
  const bytes = new TextEncoder().encode(text);
  // Warm-up: loads the shapes and JIT-compiles both paths once.
  await checkDcatBytes('warmup.ttl', new TextEncoder().encode(generateCatalogue(10)));

  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const parse = await phase('parse only (n3 → Store)', async () => new Store(new Parser().parse(text)).size);
  const validate = await phase('validate (parse + SHACL + findings)', () => checkDcatBytes('bench.ttl', bytes));
  const report = validate.last as Awaited<ReturnType<typeof checkDcatBytes>>;
  const rows: Record<string, string | number>[] = [parse, validate].map((p) => ({
    phase: p.name,
    'median ms': p.medianMs,
    'min ms': p.minMs,
    'peak RSS': mib(p.peakRssBytes),
  }));
  rows.unshift({
    phase: 'process before (tsx, shapes loaded)',
    'median ms': '',
    'min ms': '',
    'peak RSS': mib(rssBefore),
  });
  printTable(
    `${round(bytes.length / 2 ** 20, 2)} MiB Turtle, ${report.stats?.triples} triples, ${report.stats?.datasets} datasets, ` +
      `${report.stats?.distributions} distributions; ${report.findings.length} findings, verdict ${report.verdict}; ${ROUNDS} rounds`,
    rows,
  );
  console.log(
    `  validation costs ${round(validate.medianMs / Math.max(parse.medianMs, 1), 1)}× parsing; ` +
      `${round((validate.medianMs / DATASETS) * 1000, 0)} µs per dataset${gc ? '' : ' (run with --expose-gc for steadier RSS)'}`,
  );
  const file = writeResult('check-dcat', {
    datasets: DATASETS,
    bytes: bytes.length,
    stats: report.stats,
    findings: report.findings.length,
    verdict: report.verdict,
    rounds: ROUNDS,
    loadAverageAtStart: load,
    rssBeforeBytes: rssBefore,
    phases: [parse, validate].map(({ last: _last, ...p }) => p),
  });
  console.log(`  → ${file}`);
}
