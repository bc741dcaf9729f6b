import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckFact, computeLagebild } from '../lagebild.js';

function fact(regionKey: string, overall: number, extra: Partial<CheckFact> = {}): CheckFact {
  return {
    regionKey,
    stateKey: regionKey.slice(0, 2),
    kreisKey: regionKey.slice(0, 5),
    sizeClass: '<2000',
    overall,
    level: Math.min(4, Math.floor(overall / 20)),
    bySector: { verwaltung: overall },
    submittedYear: 2026,
    isDemo: false,
    ...extra,
  };
}

const denominators = { total: 100, byState: { '09': 60, '16': 40 }, bySize: { '<2000': 100 } };

test('groups under 5 municipalities show counts but no scores or levels', () => {
  const facts = [fact('09100001', 40), fact('09100002', 60), fact('09100003', 80), fact('09100004', 20)];
  const lb = computeLagebild(facts, denominators, new Date('2026-11-26T00:00:00Z'));
  assert.equal(lb.participation.total.submitted, 4);
  assert.deepEqual(lb.participation.byState['09'], { submitted: 4, municipalities: 60 });
  assert.equal(lb.scores.national, null);
  assert.equal(lb.scores.byState['09'], null);
  assert.equal(lb.levels.national, null);
  assert.equal(lb.divergence.national, null);
  assert.equal(lb.scores.bySector.verwaltung, null);
});

test('five or more: median and quartiles, no minimum or maximum', () => {
  // scores 20, 40, 60, 80, 100 → median 60, q1 40, q3 80 (type 7 quantiles)
  const facts = [20, 40, 60, 80, 100].map((s, i) => fact(`0910000${i}`, s));
  const lb = computeLagebild(facts, denominators);
  assert.equal(lb.scores.national?.n, 5);
  assert.equal(lb.scores.national?.median, 60);
  assert.equal(lb.scores.national?.q1, 40);
  assert.equal(lb.scores.national?.q3, 80);
  assert.equal((lb.scores.national as unknown as Record<string, unknown>).min, undefined);
  assert.deepEqual(lb.levels.national?.counts, [0, 1, 1, 1, 2]);
  // sector scores equal the overall scores here: the same distribution per sector
  assert.deepEqual(lb.levels.bySector.verwaltung?.counts, [0, 1, 1, 1, 2]);
});

test('Kreise: fewer than 5 → "not enough data", and a Kreis whose figure could be subtracted from the Land is hidden too', () => {
  // Land 09: Kreis 09100 has 6 checks, Kreis 09200 has 5, Kreis 09300 has 2 (primary suppression).
  // Land n = 13; visible 6 + 5 = 11 → remainder 2 (09300) would be revealed by subtraction,
  // unless one more Kreis is suppressed (complementary suppression of the smallest visible one).
  const facts = [
    ...[10, 20, 30, 40, 50, 60].map((s, i) => fact(`0910000${i}`, s)),
    ...[15, 25, 35, 45, 55].map((s, i) => fact(`0920000${i}`, s)),
    fact('09300001', 90),
    fact('09300002', 95),
  ];
  const lb = computeLagebild(facts, denominators);
  assert.ok(lb.scores.byState['09']);
  assert.equal(lb.scores.byKreis['09300']?.median, null, 'primary');
  assert.equal(lb.scores.byKreis['09300']?.n, 2, 'participation counts stay visible');
  const visible = ['09100', '09200'].filter((k) => lb.scores.byKreis[k]?.median !== null);
  assert.equal(visible.length, 1, 'one more Kreis suppressed so the small one cannot be derived');
});

test('demo checks are flagged', () => {
  const lb = computeLagebild([fact('09100001', 50, { isDemo: true })], denominators);
  assert.equal(lb.includesDemo, true);
  assert.equal(lb.strategyShare, null);
});
