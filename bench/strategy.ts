/**
 * Benchmark of the draft strategy (target: ≤ 50 ms over the full catalogue). The draft is a pure function of
 * the check's answers, the peers' figures and the catalogue (src/strategy/draft.ts); it is measured for
 * municipalities of every size class with answers spread over the levels, with and without peer figures, and
 * with the capacity of the size class (the scheduling's search over months is the expensive part).
 */
import { loadModel, SIZE_CLASSES, type SizeClass } from '../src/assessment/index.js';
import { draftStrategy, type PeerLevels } from '../src/strategy/draft.js';
import { loadMeasures } from '../src/strategy/measures.js';
import { DEFAULT_CAPACITY } from '../src/strategy/plan.js';
import { median, ms, percentile, printEnvironment, printTable, verdict, writeResult } from './common.js';

const TARGET_MS = 50;
const RUNS = 200;

export async function runStrategyBench(): Promise<void> {
  const load = printEnvironment('Strategy draft (target ≤ 50 ms over the full catalogue)');
  const model = loadModel();
  const catalogue = loadMeasures();
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  for (const size of SIZE_CLASSES.map((s) => s.id as SizeClass)) {
    for (const peers of [false, true]) {
      const questions = model.questions;
      const levels = new Map(questions.map((q, i) => [q.id, (i * 7) % 5 === 4 ? 3 : (i * 7) % 4]));
      const byDim: Record<string, number> = {};
      for (const d of model.dimensions) {
        const ls = questions.filter((q) => q.dimension === d.id).map((q) => levels.get(q.id)!);
        byDim[d.id] = (ls.reduce((a, b) => a + b, 0) / Math.max(1, ls.length)) * 25;
      }
      const peerLevels: PeerLevels | null = peers
        ? {
            dimensionQ3: Object.fromEntries(model.dimensions.map((d) => [d.id, 70])),
            questionMedian: Object.fromEntries(questions.map((q) => [q.id, 2.5])),
          }
        : null;
      const input = {
        model,
        catalogue,
        questionIds: questions.map((q) => q.id),
        levels,
        dimensionScores: byDim,
        peers: peerLevels,
        sizeClass: size,
        kind: 'gemeinde' as const,
        capacity: DEFAULT_CAPACITY[size],
        startMonth: '2027-01',
      };
      for (let i = 0; i < 20; i++) draftStrategy(input); // warm-up
      const times: number[] = [];
      let measures = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const d = draftStrategy(input);
        times.push(performance.now() - t0);
        measures = d.items.length;
      }
      const p95 = percentile(times, 95);
      rows.push({
        'size class': size,
        peers: peers ? 'yes' : 'no',
        measures,
        median: ms(median(times)),
        p95: ms(p95),
        max: ms(Math.max(...times)),
        target: verdict(p95, TARGET_MS),
      });
      results.push({ size, peers, measures, medianMs: median(times), p95Ms: p95, maxMs: Math.max(...times) });
    }
  }
  printTable(`draft over ${catalogue.measures.length} measures, ${RUNS} runs each`, rows);
  writeResult('strategy-draft', { load, catalogue: catalogue.measures.length, results });
}
