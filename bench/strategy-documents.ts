/**
 * Council document benchmark: the Gremienvorlage of a strategy with 25 measures (and, for comparison, the
 * fixture's 11) rendered as PDF (pdfkit, tagged, embedded font) and DOCX (docx), in-process. Targets: PDF ≤ 2 s,
 * DOCX ≤ 1 s. See bench/README.md.
 *
 * `BENCH_RUNS` (default 10) warm renders per row after the first. The first render of a process is reported on
 * its own: it loads pdfkit or docx, unpacks the font and runs cold code — what the first download after a
 * server start costs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { documentFixture } from '../src/strategy/__tests__/document-fixture.js';
import { renderStrategyDocx } from '../src/strategy/document/docx.js';
import { renderStrategyPdf } from '../src/strategy/document/pdf.js';
import type { StrategyDocumentInput } from '../src/strategy/document-input.js';
import { median, percentile, printEnvironment, printTable, round, tempDir, verdict, writeResult } from './common.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TARGET_MS = { pdf: 2000, docx: 1000 } as const;

type Format = keyof typeof TARGET_MS;

interface Row {
  format: Format;
  measures: number;
  firstMs: number | null;
  medianMs: number;
  p95Ms: number;
  cpuMsPerDoc: number;
  kb: number;
  pages: number | null;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const render = (format: Format, input: StrategyDocumentInput) =>
  format === 'pdf' ? renderStrategyPdf(input) : renderStrategyDocx(input);

async function measure(format: Format, input: StrategyDocumentInput, first: boolean): Promise<Row> {
  let firstMs: number | null = null;
  if (first) {
    const t0 = performance.now();
    await render(format, input);
    firstMs = performance.now() - t0;
  } else {
    await render(format, input); // warm-up
  }
  const times: number[] = [];
  const cpu0 = cpuMs();
  let last: Buffer = Buffer.alloc(0);
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await render(format, input);
    times.push(performance.now() - t0);
  }
  return {
    format,
    measures: input.content.items.filter((i) => i.status !== 'dropped').length,
    firstMs: firstMs === null ? null : round(firstMs, 0),
    medianMs: round(median(times), 0),
    p95Ms: round(percentile(times, 95), 0),
    cpuMsPerDoc: round((cpuMs() - cpu0) / RUNS, 0),
    kb: round(last.length / 1024, 0),
    pages: format === 'pdf' ? pdfPages(last) : null,
  };
}

/** Pages of a PDF by pdfinfo (poppler), null without it. */
function pdfPages(pdf: Buffer): number | null {
  if (spawnSync('pdfinfo', ['-v']).error) return null;
  const tmp = tempDir('doc');
  try {
    const file = path.join(tmp.dir, 'strategy.pdf');
    fs.writeFileSync(file, pdf);
    return Number(/^Pages: +(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? Number.NaN);
  } finally {
    tmp.remove();
  }
}

export async function runStrategyDocumentsBench(): Promise<void> {
  const load = printEnvironment('Council document (Gremienvorlage): PDF and DOCX');
  console.log(`  ${RUNS} warm renders per row after the first; German; in-process`);
  const large = documentFixture('de', { measures: 25 });
  const small = documentFixture('de');
  const rows: Row[] = [];
  for (const format of ['pdf', 'docx'] as const) {
    rows.push(await measure(format, large, true));
    rows.push(await measure(format, small, false));
  }
  printTable(
    'Render time (first = first render in the process: loads the library and the font, cold code)',
    rows.map((r) => ({
      format: r.format.toUpperCase(),
      measures: r.measures,
      'first ms': r.firstMs ?? '–',
      'median ms': r.medianMs,
      'p95 ms': r.p95Ms,
      'CPU ms/doc': r.cpuMsPerDoc,
      KB: r.kb,
      pages: r.pages ?? '–',
      target: r.measures === 25 ? `≤ ${TARGET_MS[r.format]} ms` : '',
      verdict:
        r.measures === 25 ? `${verdict(Math.max(r.firstMs ?? 0, r.p95Ms), TARGET_MS[r.format])} (first and p95)` : '',
    })),
  );
  if (load[0]! > 1)
    console.log('\n  The machine was busy: wall times include waiting for a core; CPU ms/doc is the cost.');
  writeResult('strategy-documents', { runs: RUNS, targetsMs: TARGET_MS, rows });
}
