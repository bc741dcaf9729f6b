import type { Db } from '../platform/db/db.js';
import { publish } from '../platform/events/events.js';
import { currentGemeindenFigures } from '../register/index.js';
import * as repo from './assessment.repository.js';
import { ASSESSMENT_EVENTS } from './assessment.service.js';
import { applicableQuestions, loadModel, regionKindOf, sizeClassOf } from './model.js';
import { type Answer, type Level, scoreCheck } from './scoring.js';

/**
 * Demo data for a living Lagebild: plausibly distributed, clearly marked checks (`is_demo`, no workspace)
 * for a sample of Gemeinden in every Land. `removeDemo` deletes exactly those. Deterministic for a seed.
 */
export interface DemoOptions {
  /** Share of the Gemeinden of each Land that get a demo check (default 0.1, at least 12 per Land). */
  share?: number;
  seed?: number;
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemo(db: Db, opts: DemoOptions = {}): Promise<{ checks: number; answers: number }> {
  const share = opts.share ?? 0.1;
  const rand = prng(opts.seed ?? 20261126);
  const model = loadModel();
  const regions = (await currentGemeindenFigures(db)).filter((r) => (r.population ?? 0) > 0);
  const byState = new Map<string, typeof regions>();
  for (const r of regions) byState.set(r.stateKey, [...(byState.get(r.stateKey) ?? []), r]);
  const sample: typeof regions = [];
  for (const list of byState.values()) {
    const n = Math.min(list.length, Math.max(12, Math.round(list.length * share)));
    const pool = [...list];
    for (let i = 0; i < n; i++) sample.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
  }
  let answers = 0;
  await db.transaction(async (tx) => {
    const checks: Record<string, unknown>[] = [];
    const answerRows: { check_id: number; question_id: string; level: number | null; not_applicable: boolean }[] = [];
    for (const region of sample) {
      const kind = regionKindOf(region) ?? 'gemeinde';
      const questions = applicableQuestions(model, { population: region.population, kind });
      // Larger places tend to be further along; every municipality has its own base and spread.
      const base = Math.min(
        3.2,
        0.6 + Math.log10(Math.max(region.population ?? 100, 100)) * 0.35 + (rand() - 0.5) * 1.2,
      );
      const given: Answer[] = questions.map((q) => {
        if (rand() < 0.05) return { questionId: q.id, level: null };
        const level = Math.max(0, Math.min(4, Math.round(base + (rand() - 0.5) * 2.2))) as Level;
        return { questionId: q.id, level };
      });
      const score = scoreCheck(questions, given);
      const id = await repo.insertCheck(tx, {
        orgId: null,
        regionKey: region.key,
        modelVersion: model.version,
        startedBy: null,
        isDemo: true,
      });
      checks.push({
        id,
        overall: score.overall,
        level: score.level,
        scores: { byDimension: score.byDimension, bySector: score.bySector },
        result: score,
        question_ids: questions.map((q) => q.id),
        population: region.population,
        kreis_key: region.kreisKey,
        state_key: region.stateKey,
        size_class: sizeClassOf(region.population),
        region_type: kind,
      });
      for (const a of given)
        answerRows.push({ check_id: id, question_id: a.questionId, level: a.level, not_applicable: a.level === null });
      answers += given.length;
    }
    await repo.insertDemoAnswers(tx, answerRows);
    await repo.submitDemoChecks(tx, checks);
    await repo.markLatest(tx, null);
    await publish(tx, ASSESSMENT_EVENTS.demoChanged, { added: sample.length });
  });
  return { checks: sample.length, answers };
}

export async function removeDemo(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const n = await repo.deleteDemoChecks(tx);
    await repo.markLatest(tx, null);
    await publish(tx, ASSESSMENT_EVENTS.demoChanged, { removed: n });
    return n;
  });
}
